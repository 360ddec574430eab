-- obeya board, schema 6: a leaner activity log. The log keeps what changed, not whole
-- records: nothing for a create (the record is in its table), the changed fields of an
-- update (before and after), the whole record a delete removed. The rows written
-- before are trimmed the same way by the migration's hook (`store::activity::trim_log`),
-- which needs JSON value types SQL cannot keep (true stays true, not 1).
SELECT 1;
