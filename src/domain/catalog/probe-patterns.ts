// Event and log patterns shared by the probe and network signatures (case-insensitive regular expressions).

/** A kubelet probe that gave up waiting: HTTP header timeouts, dial timeouts, gRPC health-probe timeouts. */
export const PROBE_TIMEOUT =
  '(liveness|readiness|startup) probe (failed|errored):.*(Client\\.Timeout exceeded while awaiting headers|context deadline exceeded|request canceled while waiting for connection|i/o timeout|timeout: failed to connect|timed out)';

/** Timeouts, or the reset a kube-proxy NodePort listener sends back when a probe's source port collides with it. */
export const PROBE_TIMEOUT_OR_RESET =
  '(liveness|readiness|startup) probe (failed|errored):.*(Client\\.Timeout exceeded while awaiting headers|context deadline exceeded|i/o timeout|connection reset by peer)';

/** Nothing listens on the probed address. */
export const PROBE_REFUSED = '(liveness|readiness|startup) probe failed:.*connection refused';

export const LIVENESS_KILL = 'failed liveness probe, will be restarted';

/** The probed server answered with an HTTP status: it was up, whatever the status. */
export const PROBE_ANSWERED = '(liveness|startup) probe failed: HTTP probe failed with statuscode';

/** Resolver failures as Go, glibc, musl, Node.js, Java and curl report them. */
export const DNS_FAILURE =
  'no such host|lookup \\S+( on \\S+)?: .*(i/o timeout|server misbehaving)|server misbehaving|temporary failure in name resolution|name or service not known|getaddrinfo (ENOTFOUND|EAI_AGAIN)|UnknownHostException|could not resolve host';

/** Lookups that hit the resolver's 5 s timeout: the shape of the conntrack insert race on parallel A/AAAA queries. */
export const DNS_TIMEOUT =
  'lookup \\S+( on \\S+)?: (read udp \\S+: )?i/o timeout|resolving timed out after \\d+ ?milliseconds|getaddrinfo EAI_AGAIN|(dns|lookup|resolv\\w*|getaddrinfo)\\b[^\\n]{0,80}\\b(took|after|in) 5(\\.\\d+)? ?s\\b|(dns|lookup|resolv\\w*)\\b[^\\n]{0,80}\\b5\\d{3} ?ms\\b|\\bdns\\w*[=:] ?5(\\.\\d+)? ?s\\b';

/** Log lines that show a server finished starting (it opened its port). */
export const SERVER_STARTED =
  '\\blistening\\b|started \\S+ in [0-9.]+ ?s|tomcat started on port|server started|ready to accept connections|now listening on|\\brunning (on|at) https?://';
