"""The events feature: lifecycle of an event, its rules, seats, registrations, attendance,
reminders, series and recurrence, calendar file, Discord mirror, form drafts and figures."""
