"""The database side: connections and named queries, the durable work queue, storing notices, roles,
database set-up and export."""
