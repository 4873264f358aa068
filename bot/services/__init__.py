"""Business logic, one module per capability. No Discord imports here: services take ids,
plain values, `now` and an `AsyncSession`, return models or small dataclasses and raise
`bot.errors.UserError` subclasses with a French message."""
