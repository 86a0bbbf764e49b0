"""The domain's reports, below the chat commands so that commands, the scheduler and the command line share them:
progress against quota, the bulletin, the ranking chart, the export workbook, the year-end figures, and
official figures files in. They read through storage/ and know nothing of chat, HTTP or channels."""
