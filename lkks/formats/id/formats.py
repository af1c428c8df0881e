# Indonesian formats as letters and reports write them: "16 Oktober 2024", 1.128.000.000.
# Django's own "id" locale abbreviates months (16 Okt. 2024); only what differs is here.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2024-10-16, what <input type="date"> sends
    "%d/%m/%Y",  # 16/10/2024
    "%d-%m-%Y",  # 16-10-2024
    "%d/%m/%y",
    "%d-%m-%y",
    "%d %B %Y",
]
