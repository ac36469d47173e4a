-- Settings › Analysis date: the behaviour metrics as of a fixed date (null: today), kept by the daily refresh.
ALTER TABLE "brand_settings" ADD COLUMN "analysis_date" date;