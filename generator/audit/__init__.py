"""`gongkai audit`: the site checked against the 政府网站与政务新媒体检查指标 before it is published."""
