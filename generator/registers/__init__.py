"""The office's registers: 依申请公开 applications with their statutory deadlines, and 督查督办 (incl. 建议提案).

Internal records, never published: the check reads them, `gongkai applications` and `gongkai
supervision` report on them, the annual report counts tables 三 and 四 from them. This package
imports nothing on its own (the annual report imports the register lazily, the register imports
the report's template layout).
"""
