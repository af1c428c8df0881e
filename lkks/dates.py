import datetime


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# The fiscal years the app accepts anywhere: forms, filters and database constraints.
FIRST_YEAR = 2000
LAST_YEAR = 2100
