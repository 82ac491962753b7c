"""`touchpoint repair APP [--service S]`: uninstall (with the purge), then install."""

from __future__ import annotations

from typing import Any

from app.cards import enrich
from app.delivery import DeliveryResult, DeliveryRunner, Outcome
from app.repair import plan_repair, repair


async def cmd_repair(ctx: Any) -> int:
    from app import cli  # the shared helpers (cli imports this module)
    from app.cliprompts import acknowledge_actions, confirm_prompt, prompt_fields

    args = ctx.args
    fields = cli._parse_fields(args.field)
    reader = cli._open_reader(ctx)
    try:
        ident = await cli._card(ctx, reader)
        async with cli.backend_client(ctx, args.timeout) as client:
            await enrich(client, ident)
            plan = plan_repair(args.app, await client.get_app(args.app), args.service)

            async def run(app_id: str, service_id: str) -> DeliveryResult:
                ctx.say(f"{service_id} ...")
                runner = DeliveryRunner(
                    client, reader, ident, fields=fields,
                    on_progress=cli._progress_printer(ctx),
                    on_fields=prompt_fields(ctx.lang, ctx.warn),
                    on_confirm=None if args.yes else confirm_prompt(ctx.lang, ctx.warn),
                    on_action=acknowledge_actions(ctx.lang, ctx.warn,
                                                  ask=False if args.yes else None))
                with cli._sigint_cancels(runner):
                    return await runner.run(app_id, service_id)

            result = await repair(plan, run)
    finally:
        await reader.close()
    last = result.last
    if result.success:
        ctx.say(f"Repaired: {plan.uninstall} then {plan.install} succeeded")
        return 0
    if result.install is None and last.outcome is Outcome.NOT_ALLOWED:
        ctx.say(f"Nothing to repair: {plan.app_id} cannot be uninstalled in its state on this "
                "card (see `touchpoint apps`)")
        return 1
    step = plan.install if result.install is not None else plan.uninstall
    ctx.say(f"Repair failed at {step} ({last.outcome.value}): {last.text(ctx.lang)}")
    return 1
