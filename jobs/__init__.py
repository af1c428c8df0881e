"""Long work off the request: background jobs with a page, a progress bar and a download
(issue #14). The public face is ``jobs.jobs``; see docs/architecture.md."""
