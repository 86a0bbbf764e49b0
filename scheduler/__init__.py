"""Scheduler: reminders, bulletins and outbox delivery (PRODUCT.md §5).

workdays.py  holidays and quiet hours      schedule.py  the org file's schedule → occasions and due times
plans.py     who gets which text           enqueue.py   once-only claim (ReminderLog) → outbox rows
outbox.py    delivery, back-off, alerts    jobs.py      tick / run_occasion / deliver
runner.py    the APScheduler process
"""
