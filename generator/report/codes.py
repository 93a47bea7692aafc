"""Stable problem codes of the annual-report inputs (family `reports`, GK8xx).

The rules with their Chinese titles and fixes live in `gongkai.checks.reports`.
"""

FILE_NAME = "GK801"
STRUCTURE = "GK802"
UNKNOWN_KEY = "GK803"
MISSING_KEY = "GK804"
BAD_COUNT = "GK805"
BAD_AMOUNT = "GK806"
EMPTY_TEXT = "GK807"
ROW_TOTAL = "GK810"
RESULTS_TOTAL = "GK811"
BALANCE = "GK812"
CARRY_OVER = "GK813"
APPEAL_TOTAL = "GK814"
BREAKDOWN_TOTAL = "GK815"
UNKNOWN_DEPARTMENT = "GK816"
REPEALED_REFERENCE = "GK820"
REPEALED_TWICE = "GK821"
UNLISTED_REPEAL = "GK822"
