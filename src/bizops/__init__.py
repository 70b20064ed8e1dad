"""bizops: a company's sales-department regulations as decisions from the shell."""

__version__ = "0.1.0"
