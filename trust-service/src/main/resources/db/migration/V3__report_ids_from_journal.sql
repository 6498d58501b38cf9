-- Report ids are handed out by the journal (the only writer of reports), continuing after
-- max(report.id) at start; the sequence V1 created for them is not used.
DROP SEQUENCE IF EXISTS report_id_seq;
