"""A plugin whose hook name is misspelt (`bizops_quoet`): refused at load, by name, not silently ignored."""

from bizops.api import Column, CommandSpec, Company, Field, hookimpl, map_rows


@hookimpl
def bizops_company():
    return Company(
        "misspelt",
        zh="拼错公司",
        en="Misspelt Co",
        version="0.1",
        commands={"quote": CommandSpec(inputs=(Field("x", "int"),), outputs=(Column("x", "int"),))},
    )


@hookimpl
def bizops_quoet(requests, policy, context):
    return map_rows(requests, lambda fields: {"x": fields["x"], "status": "ok", "reason": None})
