"""`prompt-cli`: the client's operations as commands that print JSON on stdout.

Exit codes: 0 done, 1 the service refused the request (its problem title and detail on
stderr) or could not be reached, 2 usage error. Options come from the command line or the
environment (`PROMPT_CLI_BASE_URL`, `PROMPT_CLI_API_KEY`), so keys stay out of shell history.
"""

from __future__ import annotations

import json
from typing import Any

import click

from .client import PromptClient
from .errors import PromptClientError
from .models import CreatedPrompt, VersionedPrompt
from .models import Variable as VariableModel

__all__ = ["cli", "main"]


class _Failure(click.ClickException):
    """A client error as click renders it: `Error: <message>` on stderr, exit code 1."""


class _Group(click.Group):
    """Maps the client's errors to exit code 1 once, instead of in every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PromptClientError as exc:
            raise _Failure(str(exc)) from None


class _VariableType(click.ParamType[VariableModel, Any]):
    """`NAME` declares a required variable, `NAME=DEFAULT` an optional one."""

    name = "NAME[=DEFAULT]"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> VariableModel:
        if isinstance(value, VariableModel):
            return value
        name, sep, default = str(value).partition("=")
        if not name:
            self.fail(f"{value!r} has no variable name", param, ctx)
        if sep:
            return VariableModel(name=name, required=False, default=default)
        return VariableModel(name=name, required=True)


def _emit(document: object) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def _versioned(result: VersionedPrompt) -> dict[str, Any]:
    return {"etag": result.etag, "prompt": result.prompt.model_dump(mode="json")}


def _created(result: CreatedPrompt) -> dict[str, Any]:
    return {
        "etag": result.etag,
        "location": result.location,
        "replayed": result.replayed,
        "prompt": result.prompt.model_dump(mode="json"),
    }


@click.group(name="prompt-cli", cls=_Group)
@click.option(
    "--base-url",
    envvar="PROMPT_CLI_BASE_URL",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="The service's root URL (env PROMPT_CLI_BASE_URL).",
)
@click.option(
    "--api-key", envvar="PROMPT_CLI_API_KEY", help="Sent as X-API-Key (env PROMPT_CLI_API_KEY)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each response.",
)
@click.pass_context
def cli(ctx: click.Context, base_url: str, api_key: str | None, timeout: float) -> None:
    """A command-line client of the Prompt Library API."""
    ctx.obj = ctx.with_resource(PromptClient(base_url, api_key=api_key, timeout=timeout))


@cli.command(name="list")
@click.option("--limit", type=click.IntRange(1, 100), help="Prompts per page (service default 20).")
@click.option("--cursor", help="The next_cursor of the previous page.")
@click.pass_obj
def list_prompts(client: PromptClient, limit: int | None, cursor: str | None) -> None:
    """List one page of prompts, newest first."""
    _emit(client.list_prompts(limit=limit, cursor=cursor).model_dump(mode="json"))


@cli.command(name="get")
@click.argument("prompt_id")
@click.pass_obj
def get_prompt(client: PromptClient, prompt_id: str) -> None:
    """Show a prompt and its ETag."""
    _emit(_versioned(client.get_prompt(prompt_id)))


@cli.command(name="create")
@click.option("--name", required=True, help="Unique, URL-safe name.")
@click.option("--template", required=True, help="Template text; placeholders are {{name}}.")
@click.option("--description")
@click.option(
    "--variable",
    "variables",
    type=_VariableType(),
    multiple=True,
    help="A placeholder: NAME (required) or NAME=DEFAULT (optional). Repeatable.",
)
@click.option("--tag", "tags", multiple=True, help="Repeatable.")
@click.option("--changelog", help="Change message of version 1.")
@click.option(
    "--idempotency-key", help="Makes the request safe to retry: a retry returns the first answer."
)
@click.pass_obj
def create_prompt(
    client: PromptClient,
    name: str,
    template: str,
    description: str | None,
    variables: tuple[VariableModel, ...],
    tags: tuple[str, ...],
    changelog: str | None,
    idempotency_key: str | None,
) -> None:
    """Create a prompt.

    `replayed` in the output tells whether the service returned the answer to an earlier
    request with the same --idempotency-key instead of creating another prompt.
    """
    created = client.create_prompt(
        name,
        template,
        description=description,
        variables=variables,
        tags=tags,
        changelog=changelog,
        idempotency_key=idempotency_key,
    )
    _emit(_created(created))


@cli.command(name="update")
@click.argument("prompt_id")
@click.option("--if-match", required=True, help="The ETag the prompt had when you read it.")
@click.option("--name", help="New name.")
@click.option("--description", help="New description.")
@click.option("--tag", "tags", multiple=True, help="Replaces all tags. Repeatable.")
@click.pass_obj
def update_prompt(
    client: PromptClient,
    prompt_id: str,
    if_match: str,
    name: str | None,
    description: str | None,
    tags: tuple[str, ...],
) -> None:
    """Change a prompt's name, description or tags.

    Refused (exit 1, "Precondition failed") when the prompt changed since you read the ETag.
    """
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = name
    if description is not None:
        changes["description"] = description
    if tags:
        changes["tags"] = list(tags)
    if not changes:
        raise click.UsageError("nothing to change: give --name, --description or --tag")
    _emit(_versioned(client.update_prompt(prompt_id, changes, if_match=if_match)))


@cli.command(name="delete")
@click.argument("prompt_id")
@click.option("--if-match", help="Delete only if the prompt still has this ETag.")
@click.pass_obj
def delete_prompt(client: PromptClient, prompt_id: str, if_match: str | None) -> None:
    """Delete a prompt and all its versions."""
    client.delete_prompt(prompt_id, if_match=if_match)
    _emit({"deleted": prompt_id})


def main() -> None:
    cli.main(prog_name="prompt-cli")
