"""Registers as LKKS and Dinas Sosial keep them, built as workbooks for the tests of the
import: titles above the header, a header over two rows with merged group titles,
numbering columns, address parts, documents side by side and free-text services."""

import datetime
import io

from openpyxl import Workbook

TITLE = "DATA LEMBAGA KESEJAHTERAAN SOSIAL (LKS) KABUPATEN KAMPAR"
# (group title over its columns, or None for a column titled in the top row alone;
# sub-titles in the second row)
GROUPS = [
    (None, ["No"]),
    (None, ["Nama LKS"]),
    ("ALAMAT", ["Jalan", "RT", "RW", "Kelurahan", "Kecamatan"]),
    (None, ["Layanan"]),
    (
        "TANDA DAFTAR YAYASAN",
        ["Nomor", "Masa Berlaku - Mulai", "Masa Berlaku - Sampai", "Instansi Yang Menerbitkan"],
    ),
    ("SURAT KETERANGAN DOMISILI", ["Nomor", "Berlaku Sampai", "Instansi"]),
    ("NIB", ["Status (Ada/Tidak Ada)"]),
    ("AKREDITASI", ["Status", "Tanggal"]),
]
HARAPAN = {
    "Nama LKS": "Panti Asuhan Harapan",
    "ALAMAT · Jalan": "Jl. Melati 3",
    "ALAMAT · RT": "002",
    "ALAMAT · RW": "005",
    "ALAMAT · Kelurahan": "Kumantan",
    "ALAMAT · Kecamatan": "Bangkinang Kota",
    "Layanan": "Anak, Lansia",
    "TANDA DAFTAR YAYASAN · Nomor": "460/0001/TD/2024",
    "TANDA DAFTAR YAYASAN · Masa Berlaku - Mulai": datetime.datetime(2024, 1, 15),
    "TANDA DAFTAR YAYASAN · Masa Berlaku - Sampai": datetime.datetime(2029, 1, 15),
    "TANDA DAFTAR YAYASAN · Instansi Yang Menerbitkan": "Dinas Sosial Kab. Kampar",
    "SURAT KETERANGAN DOMISILI · Nomor": "470/12/DOM/2023",
    "SURAT KETERANGAN DOMISILI · Berlaku Sampai": "31/12/2030",
    "SURAT KETERANGAN DOMISILI · Instansi": "Kecamatan Bangkinang Kota",
    "NIB · Status (Ada/Tidak Ada)": "Ada",
    "AKREDITASI · Status": "Akreditasi C",
    "AKREDITASI · Tanggal": "01/03/2024",
}
SINGGAH = {
    "Nama LKS": "Yayasan Rumah Singgah Bunda",
    "ALAMAT · Jalan": "Jl. Sudirman 10",
    "ALAMAT · Kecamatan": "Kampar",
    "Layanan": "Rumah Singgah",
    "TANDA DAFTAR YAYASAN · Nomor": "460/0002/TD/2019",
    "TANDA DAFTAR YAYASAN · Masa Berlaku - Mulai": "01/02/2019",
    "TANDA DAFTAR YAYASAN · Masa Berlaku - Sampai": "01/02/2022",
    "NIB · Status (Ada/Tidak Ada)": "Tidak Ada",
    "AKREDITASI · Status": "Belum",
}
SEHAT = {
    "Nama LKS": "LKS Napza Sehat",
    "ALAMAT · Kecamatan": "Bangkinang Kota",
    "Layanan": "Napza",
    "NIB · Status (Ada/Tidak Ada)": "Ada",
    "AKREDITASI · Status": "Belum",
}


def titles(groups=GROUPS):
    """The columns' titles as the import names them: "GROUP · Sub" under a group."""
    return [f"{group} · {name}" if group else name for group, names in groups for name in names]


def register_workbook(rows=(HARAPAN, SINGGAH, SEHAT), *, groups=GROUPS, title_rows=(TITLE,)):
    """A workbook with title rows, a blank row, the two-row header (group titles in
    merged cells) and a numbered row for each dict of title → value."""
    book = Workbook()
    sheet = book.active
    for row, title in enumerate(title_rows, start=1):
        sheet.cell(row, 1, title)
    top_row = len(title_rows) + 2 if title_rows else 1
    top, bottom, column = [], [], 1
    for group, names in groups:
        if group is None:
            top.append(names[0])
            bottom.append(None)
            sheet.merge_cells(
                start_row=top_row, end_row=top_row + 1, start_column=column, end_column=column
            )
        else:
            top += [group] + [None] * (len(names) - 1)
            bottom += names
            if len(names) > 1:
                sheet.merge_cells(
                    start_row=top_row,
                    end_row=top_row,
                    start_column=column,
                    end_column=column + len(names) - 1,
                )
        column += len(names)
    for column, (upper, lower) in enumerate(zip(top, bottom, strict=True), start=1):
        sheet.cell(top_row, column, upper)
        sheet.cell(top_row + 1, column, lower)
    for number, values in enumerate(rows, start=1):
        for column, key in enumerate(titles(groups), start=1):
            sheet.cell(top_row + 1 + number, column, number if key == "No" else values.get(key))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The spreadsheet rows of the default workbook: a title, a blank row, two header rows.
FIRST_ROW = 5
