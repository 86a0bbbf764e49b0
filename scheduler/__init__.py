"""Scheduler: APScheduler jobs for reminders, bulletins and outbox delivery (PRODUCT.md §5).

Not built yet: the reminders issue fills this package. Pushes already have a home in the `outbox` table.
"""
