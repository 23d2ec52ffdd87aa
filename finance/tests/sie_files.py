"""SIE 4 files for the tests, built as an accounting program writes them."""


def sie_text(
    org_number,
    vouchers,
    *,
    years=(("0", "20190101", "20191231"),),
    header_extra="",
    name="Hej främling!",
):
    """The text of a SIE 4 file; ``vouchers`` are ``(ver line, [trans lines])``."""
    lines = [
        "#FLAGGA 0",
        '#PROGRAM "Fortnox" 3.0',
        "#FORMAT PC8",
        "#GEN 20200115",
        "#SIETYP 4",
        f'#FNAMN "{name}"',
        f"#ORGNR {org_number}",
    ]
    lines += [f"#RAR {n} {start} {end}" for n, start, end in years]
    lines += [
        '#KONTO 1930 "Företagskonto"',
        '#KONTO 2640 "Ingående moms"',
        '#KONTO 5010 "Lokalhyra"',
        '#KONTO 7010 "Löner till tjänstemän"',
        '#DIM 1 "Kostnadsställe"',
        '#DIM 6 "Projekt"',
        '#OBJEKT 1 "LivA" "Projekt LivA"',
        '#OBJEKT 1 "ANNAT" "Annan verksamhet"',
        "#IB 0 1930 100000.00",
        "#KSUMMA 1234567",
    ]
    if header_extra:
        lines.append(header_extra)
    for ver, transactions in vouchers:
        lines.append(ver)
        lines.append("{")
        lines += [f"   {t}" for t in transactions]
        lines.append("}")
    return "\r\n".join(lines) + "\r\n"


def rent_and_salary(org_number):
    """Two vouchers: rent (premises: ignored without a rule for 5010) and May's salaries of
    LivA (personnel), with the bank and VAT rows every voucher has."""
    return sie_text(
        org_number,
        [
            (
                '#VER A 1 20190510 "Hyra maj, Café Tingshuset" 20190511',
                [
                    '#TRANS 5010 {1 "LivA"} 8000.00 20190510 "Hyra maj"',
                    "#TRANS 2640 {} 2000.00",
                    "#TRANS 1930 {} -10000.00",
                ],
            ),
            (
                '#VER A 2 20190531 "Löner maj"',
                [
                    '#TRANS 7010 {1 "LivA"} 42000.50',
                    '#TRANS 7510 {1 "LivA"} 13196.60',
                    '#TRANS 7010 {1 "ANNAT"} 30000.00',
                    "#TRANS 1930 {} -85197.10",
                ],
            ),
        ],
    )
