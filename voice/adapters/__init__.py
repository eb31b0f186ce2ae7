"""One adapter per voice gateway: its callback fields in, its call markup out."""
