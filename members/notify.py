"""Emails to an LKS: its invitation, and a word at each step of what staff decide about
its applications, documents and proposed changes.

An LKS is written to at the addresses of its active accounts and at its own address
(``Organisation.email``). Emails are in the interface's default language (Indonesian),
whoever's request sent them, with a link to the portal.

They leave once the transaction that decided the step commits, never before (a
decision rolled back sends nothing), and a mail server that refuses them is logged
without undoing the decision: the portal shows every state anyway.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def lks_recipients(organisation) -> list[str]:
    """The addresses an LKS is written to: its active people's and its own."""
    emails = set(
        organisation.lks_accounts.filter(active=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if organisation.email:
        emails.add(organisation.email)
    return sorted(emails, key=str.lower)


def portal_url(name="portal:home", *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def render(template, context) -> tuple[str, str]:
    """The subject and text of an email from ``<template>_subject.txt`` and
    ``<template>.txt``, in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def send(template, context, *, to) -> None:
    """Send the email once the current transaction commits (at once outside one)."""
    if not to:
        return
    subject, body = render(template, context)
    message = EmailMessage(subject=subject, body=body, to=list(to))

    def deliver():
        try:
            message.send()
        except OSError:  # smtplib's errors are OSErrors too
            logger.warning("Could not send %r to %s", subject, ", ".join(to), exc_info=True)

    transaction.on_commit(deliver)


def invitation(account, *, link) -> None:
    """The invitation of a new account, with the link that sets its password."""
    send(
        "members/emails/invitation",
        {
            "account": account,
            "organisation": account.organisation,
            "body": account.organisation.body,
            "link": link,
            "username": account.user.username,
        },
        to=[account.user.email],
    )


def to_lks(organisation, template, **context) -> None:
    send(
        template,
        {"organisation": organisation, "body": organisation.body, "portal": portal_url()} | context,
        to=lks_recipients(organisation),
    )
