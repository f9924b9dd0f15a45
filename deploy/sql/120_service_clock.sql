-- OrleansReminders schema, part 6: the business clock's origin, shared by the silos of a service.
--
-- With Cluster:TimeScale > 1 (demos, fault campaigns) business time runs faster than real time. Its
-- origin is the real instant at which business time equals real time; the first silo of a service stores
-- one per scale and every later silo reads it, so silos started at different times agree on business time:
-- business = origin + (now - origin) * scale.

CREATE TABLE IF NOT EXISTS service_clock
(
    service_id varchar(150)     NOT NULL,
    scale      double precision NOT NULL,
    origin     timestamptz      NOT NULL,
    PRIMARY KEY (service_id, scale)
);
