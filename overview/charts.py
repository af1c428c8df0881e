"""Bar charts drawn on the server as inline SVG: readable without JavaScript, printable,
and each one with a title, a description and a data table for screen readers.

A chart is horizontal bars, one row per category, the label above its bar so that it
fits a phone. Several series are either stacked in one bar (parts of a whole, e.g.
activities by status) or drawn as grouped bars (amounts side by side, e.g. budget and
spending). Colours come from CSS classes (``chart-s1`` … in lkks.css), never from
inline styles; every value is also written as text beside its bar and in the table.
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from grants.models import Funder, Stage
from lkks.money import rupiah, rupiah_short
from members.models import Accreditation, Mentoring, RegistrationStatus
from programs.models import Activity, Program

WIDTH = 400
VALUE_SPACE = 120  # right of the bars, for the value written after them
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
GROUPED_BAR_HEIGHT = 11
ROW_GAP = 12
LEGEND_ROW = 20
CHAR_WIDTH = 7  # about the width of a character at the chart's font size
# The stages of an agreed grant, in the order of the cycle.
AGREED_STAGES = [
    Stage.APPROVED,
    Stage.DISBURSED,
    Stage.LPJ_SUBMITTED,
    Stage.LPJ_RETURNED,
    Stage.LPJ_ACCEPTED,
    Stage.CLOSED,
]


def count_text(value):
    return number_format(value, force_grouping=True)


def percent_text(value):
    return "–" if value is None else f"{number_format(value, 1)}%"


def count_with_share(total):
    """'97 · 77,6%': a count with its share of ``total``."""

    def text(value):
        if not total:
            return count_text(value)
        return f"{count_text(value)} · {percent_text(round(value * 100 / total, 1))}"

    return text


@dataclass(frozen=True)
class Series:
    name: str
    format: object = count_text  # how a value prints in the table
    bar_format: object = None  # … and beside its bar, when shorter there

    def bar_text(self, value):
        return (self.bar_format or self.format)(value)


def money_series(name):
    return Series(name, format=rupiah, bar_format=rupiah_short)


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple


@dataclass
class Chart:
    key: str  # unique on the page: the SVG's ids derive from it
    title: str
    description: str
    series: list
    rows: list
    stacked: bool = False
    total_format: object = count_text  # the text after a stacked bar (its total)
    id: str = field(init=False)

    def __post_init__(self):
        self.id = f"chart-{self.key}"

    @property
    def is_empty(self):
        return not any(any(row.values) for row in self.rows)

    @property
    def table_header(self):
        if self.stacked:
            return [series.name for series in self.series] + [_("Total")]
        return [series.name for series in self.series]

    @property
    def table_rows(self):
        rows = []
        for row in self.rows:
            cells = [
                series.format(value) for series, value in zip(self.series, row.values, strict=True)
            ]
            if self.stacked:
                cells.append(self.total_format(sum(row.values)))
            rows.append((row.label, cells))
        return rows

    def svg(self):
        legend, legend_height = self._legend()
        scale = self._scale()
        y = legend_height
        parts = []
        for row in self.rows:
            parts.append(
                format_html('<text class="chart-label" x="0" y="{}">{}</text>', y + 13, row.label)
            )
            y += LABEL_HEIGHT
            if self.stacked:
                parts.append(self._stacked_bar(row, y, scale))
                y += BAR_HEIGHT
            else:
                # One series gets a full bar; several share the row's height.
                height = BAR_HEIGHT if len(self.series) == 1 else GROUPED_BAR_HEIGHT
                for index, (series, value) in enumerate(zip(self.series, row.values, strict=True)):
                    parts.append(self._bar(index, value, y, height, scale, series.bar_text(value)))
                    y += height + 2
            y += ROW_GAP
        height = max(y, legend_height + 1)
        return format_html(
            '<svg class="chart-svg" role="img" aria-labelledby="{id}-title {id}-desc" '
            'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
            "{legend}{body}</svg>",
            id=self.id,
            w=WIDTH,
            h=height,
            title=self.title,
            desc=self.description,
            legend=legend,
            body=mark_safe("".join(parts)),  # noqa: S308 (each part built by format_html)
        )

    def _scale(self):
        if self.stacked:
            largest = max((sum(row.values) for row in self.rows), default=0)
        else:
            largest = max((max(row.values, default=0) for row in self.rows), default=0)
        return (WIDTH - VALUE_SPACE) / float(largest) if largest else 0

    def _legend(self):
        if len(self.series) < 2:
            return "", 0
        items, x, y = [], 0, 0
        for index, series in enumerate(self.series):
            width = 16 + len(str(series.name)) * CHAR_WIDTH + 14
            if x and x + width > WIDTH:
                x, y = 0, y + LEGEND_ROW
            items.append(
                format_html(
                    '<rect class="chart-s{}" x="{}" y="{}" width="11" height="11"/>'
                    '<text class="chart-legend" x="{}" y="{}">{}</text>',
                    index + 1,
                    x,
                    y + 2,
                    x + 16,
                    y + 12,
                    series.name,
                )
            )
            x += width
        return mark_safe('<g aria-hidden="true">' + "".join(items) + "</g>"), y + LEGEND_ROW + 4  # noqa: S308

    def _bar(self, index, value, y, height, scale, text):
        width = round(float(value) * scale, 1)
        return format_html(
            '<rect class="chart-s{}" x="0" y="{}" width="{}" height="{}"/>'
            '<text class="chart-value" x="{}" y="{}">{}</text>',
            index + 1,
            y,
            width,
            height,
            width + 5,
            y + height - (3 if height > 12 else 1),
            text,
        )

    def _stacked_bar(self, row, y, scale):
        x = 0.0
        segments = []
        for index, value in enumerate(row.values):
            width = round(float(value) * scale, 1)
            if width:
                segments.append((index + 1, x, width))
            x += width
        rects = format_html_join(
            "",
            '<rect class="chart-s{}" x="{}" y="{}" width="{}" height="{}"/>',
            ((index, start, y, width, BAR_HEIGHT) for index, start, width in segments),
        )
        return format_html(
            '{}<text class="chart-value" x="{}" y="{}">{}</text>',
            rects,
            round(x, 1) + 5,
            y + BAR_HEIGHT - 3,
            self.total_format(sum(row.values)),
        )


def dashboard_charts(board):
    """The charts of one body's dashboard (a ``overview.dashboard.Dashboard``), by name."""
    lks = board.figures.organisations
    programs = board.figures.programs
    as_of = date_format(board.as_of, "DATE_FORMAT")
    statuses = dict(RegistrationStatus.choices)
    kinds_with_money = [
        (kind, money) for kind, money in board.figures.money.by_funder_kind.items() if money.total
    ]
    return {
        "registration": Chart(
            key="registration",
            title=_("LKS by registration status"),
            description=_("%(total)s LKS as of %(date)s.") % {"total": lks.total, "date": as_of},
            series=[Series(_("LKS"), format=count_with_share(lks.total))],
            rows=[
                Row(capfirst(statuses[status]), (getattr(lks, status),))
                for status in RegistrationStatus.values
            ],
        ),
        "grades": Chart(
            key="grades",
            title=_("Accredited LKS by grade"),
            description=_("%(count)s accredited LKS as of %(date)s.")
            % {"count": lks.accredited, "date": as_of},
            series=[Series(_("LKS"), format=count_with_share(lks.accredited))],
            rows=[
                Row(capfirst(label), (lks.accredited_by_grade[grade],))
                for grade, label in Accreditation.Grade.choices
            ],
        ),
        "mentoring": Chart(
            key="mentoring",
            title=_("Mentoring visits by kind"),
            description=_("%(count)s mentoring visits in %(year)s.")
            % {"count": lks.mentoring, "year": board.year},
            series=[Series(_("Visits"))],
            rows=[
                Row(capfirst(label), (lks.mentoring_by_kind[kind],))
                for kind, label in Mentoring.Kind.choices
            ],
        ),
        "activities": Chart(
            key="activities",
            title=_("Activities by category and status"),
            description=_("%(count)s activities in %(year)s, %(done)s of them done.")
            % {"count": programs.activities, "year": board.year, "done": programs.activities_done},
            series=[Series(capfirst(label)) for label in Activity.Status.labels],
            rows=[
                Row(
                    capfirst(label),
                    tuple(programs.activities_by_category[category].values()),
                )
                for category, label in Program.Category.choices
            ],
            stacked=True,
        ),
        "money": Chart(
            key="money",
            title=_("Money by funder kind"),
            description=_("Grant total, allocated, disbursed, spent and cash held in %(year)s.")
            % {"year": board.year},
            series=[
                money_series(_("Grant total")),
                money_series(_("Allocated")),
                money_series(_("Disbursed")),
                money_series(_("Spent")),
                money_series(_("Cash held")),
            ],
            rows=[
                Row(
                    capfirst(Funder.Kind(kind).label),
                    (money.total, money.allocated, money.disbursed, money.spent, money.cash_held),
                )
                for kind, money in kinds_with_money
            ],
        ),
        "lpj": Chart(
            key="lpj",
            title=_("Grants by stage of the cycle"),
            description=_(
                "The agreed grants of %(year)s: disbursed, accounted for (LPJ) and closed."
            )
            % {"year": board.year},
            series=[Series(_("Grants"))],
            rows=[
                Row(capfirst(stage.label), (board.figures.money.by_stage[stage],))
                for stage in AGREED_STAGES
            ],
        ),
        "programs": Chart(
            key="programs",
            title=_("Budget ceiling and spending per program"),
            description=_(
                "The budget ceiling (pagu) of each program in %(year)s and what was spent."
            )
            % {"year": board.year},
            series=[money_series(_("Budget ceiling")), money_series(_("Spent"))],
            rows=[
                Row(f"{program.code} {program.name}", (program.budget_ceiling, program.spent))
                for program in board.programs
            ],
        ),
    }
