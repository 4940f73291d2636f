import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics. One registry per process (a metric is a fact about the process
 * that serves it; Prometheus sums processes by their labels), not prom-client's global default, so
 * a plugin that happens to use prom-client cannot collide with ours. Labels stay of bounded
 * cardinality: route patterns (never raw paths), plugin ids, outcome and status codes — never a
 * tenant, meter or order id.
 */
export const registry = new Registry();

export const httpRequests = new Counter({
  name: 'quadmeter_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'quadmeter_http_request_duration_seconds',
  help: 'HTTP request duration, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const ingestReadings = new Counter({
  name: 'quadmeter_ingest_readings_total',
  help: 'Readings handed to the ingest path, by transport plugin and outcome (stored, duplicate, rejected, unmatched); rate() gives rows/s',
  labelNames: ['transport', 'outcome'] as const,
  registers: [registry],
});

export const reads = new Counter({
  name: 'quadmeter_reads_total',
  help: 'Meter read outcomes recorded by reading tasks, by transport and outcome',
  labelNames: ['transport', 'outcome'] as const,
  registers: [registry],
});

export const readSuccessRatio = new Gauge({
  name: 'quadmeter_read_success_ratio',
  help: 'Share of recorded read outcomes that succeeded (ok or pushed) since the process started, by transport',
  labelNames: ['transport'] as const,
  registers: [registry],
});

export const jobWait = new Histogram({
  name: 'quadmeter_job_wait_seconds',
  help: 'Time from a job being enqueued (or due) to a worker starting it, by queue',
  labelNames: ['queue'] as const,
  buckets: [0.05, 0.1, 0.5, 1, 2, 5, 15, 60, 300, 1800],
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: 'quadmeter_job_duration_seconds',
  help: 'Job run time, by queue and outcome (completed, failed)',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'quadmeter_queue_depth',
  help: 'Jobs waiting in a queue at scrape time, by queue and state (queued, active, deferred)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

export const paymentCallbacks = new Counter({
  name: 'quadmeter_payment_callbacks_total',
  help: 'Payment provider callbacks, by provider and outcome (what was applied, or the refusal code)',
  labelNames: ['provider', 'outcome'] as const,
  registers: [registry],
});

export const notifyDeliveries = new Counter({
  name: 'quadmeter_notify_deliveries_total',
  help: 'Notice delivery attempts, by channel and outcome (sent, duplicate, retry, failed)',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});

export const concentratorsOnline = new Gauge({
  name: 'quadmeter_concentrators_online',
  help: 'Concentrators whose link is up at scrape time (all tenants)',
  registers: [registry],
});
