package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cluster.Rollout;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.cluster.Worker;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.guard.pii.PiiDetector;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.run.Agent;
import dev.bridle.server.auth.TokenStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRouting;
import io.javalin.security.RouteRole;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Bridle node (DESIGN §7, §8): the JSON HTTP API under {@code /api/v1} and a {@link Worker} that
 * claims and runs the queued runs of the served workflows, in one process. Any number of nodes
 * share one database. The API is documented in {@code docs/api.md}.
 *
 * <pre>{@code
 * RunQueue queue = RunStores.openQueue("postgresql://bridle:secret@db:5432/bridle");
 * KillSwitch kills = ...; // the same instance the agents check
 * try (BridleServer server =
 *     BridleServer.builder()
 *         .queue(queue)
 *         .killSwitch(kills)
 *         .tokens(new JdbcTokenStore(dataSource, Clock.systemUTC()))
 *         .workflow("support-triage", journal -> agentBuilder.journal(journal).build())
 *         .port(8080)
 *         .build()
 *         .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Security by default: it binds to 127.0.0.1 unless told otherwise; every endpoint but {@code
 * GET /healthz} and {@code POST /api/v1/login} needs a token with a role (see {@link
 * dev.bridle.server.auth.Role}); requests with a session cookie that change state need the CSRF
 * token; bodies are limited (64 KiB by default); what runs and people wrote is redacted in every
 * response (by default with {@link PiiDetector#standard()}). The server does not close the queue,
 * the store or the token store it is given.
 */
public final class BridleServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BridleServer.class.getName());

  /** The body limit, for {@link Requests} to read bodies up to it. */
  static final io.javalin.config.Key<Integer> MAX_REQUEST_BYTES =
      new io.javalin.config.Key<>("bridle.max-request-bytes");

  private final Builder settings;
  private final ServerContext context;
  private final Authenticator authenticator;
  private final List<Route> routes;
  private final AtomicBoolean serving = new AtomicBoolean();
  private Javalin app;
  private Worker worker;

  private BridleServer(Builder builder) {
    this.settings = builder;
    Redactor redactor = new Redactor(builder.redaction);
    Sessions sessions = new Sessions(builder.clock, builder.sessionLifetime);
    this.context =
        new ServerContext(
            builder.queue,
            builder.killSwitch,
            new ServedWorkflows(builder.workflows, builder.queue.store()),
            builder.tokens,
            sessions,
            builder.clock,
            redactor,
            new Views(redactor),
            builder.streamPollInterval,
            builder.secureCookies,
            serving::get);
    this.authenticator = new Authenticator(builder.tokens, sessions);
    List<Route> all = new ArrayList<>();
    all.add(Route.get("/healthz", Access.PUBLIC, BridleServer::health));
    all.addAll(new SessionApi(context).routes());
    all.addAll(new RunsApi(context).routes());
    all.addAll(new ApprovalsApi(context).routes());
    all.addAll(new KillSwitchApi(context).routes());
    all.addAll(new RevertApi(context).routes());
    all.addAll(new AuditApi(context).routes());
    all.addAll(new WorkflowsApi(context, Optional.ofNullable(builder.deploymentEvidence)).routes());
    all.addAll(new TokensApi(context).routes());
    all.addAll(new SpendApi(context).routes());
    all.addAll(
        new DeploymentApi(
                context,
                Optional.ofNullable(builder.deploymentEvidence),
                new PromotionThresholds(builder.promotions, context.workflows()))
            .routes());
    all.addAll(new DashboardAssets().routes());
    java.util.function.Supplier<String> metrics = builder.metrics;
    all.add(
        Route.get(
            "/metrics",
            Access.VIEWER,
            ctx -> {
              if (metrics == null) {
                throw ApiException.notFound("this server exports no metrics");
              }
              ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get());
            }));
    this.routes = List.copyOf(all);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the HTTP server and, when there are workflows to serve and worker slots, the worker.
   *
   * @throws IllegalStateException if it was started before
   */
  public synchronized BridleServer start() {
    if (!serving.compareAndSet(false, true)) {
      throw new IllegalStateException("server " + settings.nodeId + " was started already");
    }
    app = Javalin.create(config -> configure(config)).start();
    if (settings.workerConcurrency > 0 && !settings.workflows.isEmpty()) {
      Worker.Builder workers =
          Worker.builder()
              .nodeId(settings.nodeId)
              .queue(settings.queue)
              .concurrency(settings.workerConcurrency)
              .leaseTime(settings.leaseTime)
              .pollInterval(settings.pollInterval)
              .approvalExpiryInterval(settings.approvalExpiryInterval)
              .clock(settings.clock);
      settings.workflows.values().forEach(workers::workflow);
      worker = workers.build().start();
    }
    LOG.info(
        () ->
            "bridle server "
                + settings.nodeId
                + " listening on "
                + settings.host
                + ":"
                + port()
                + ", serving "
                + settings.workflows.keySet());
    return this;
  }

  /** The port the server listens on (the one chosen when it was given as 0). */
  public int port() {
    if (app == null) {
      throw new IllegalStateException("server " + settings.nodeId + " is not started");
    }
    return app.port();
  }

  public String host() {
    return settings.host;
  }

  /** This node's id: the owner of the leases its worker takes. */
  public String nodeId() {
    return settings.nodeId;
  }

  /** The endpoints, in the order they were registered (for tests and documentation). */
  List<Route> routes() {
    return routes;
  }

  /**
   * Stops taking requests (open event streams end), then stops the worker: each run in progress
   * stops before its next model or tool call and its lease is released for another node.
   */
  @Override
  public synchronized void close() {
    serving.set(false);
    if (app != null) {
      app.stop();
    }
    if (worker != null) {
      worker.close();
    }
  }

  private void configure(io.javalin.config.JavalinConfig config) {
    config.useVirtualThreads = true;
    config.showJavalinBanner = false;
    config.startupWatcherEnabled = false;
    config.http.maxRequestSize = settings.maxRequestBytes;
    config.appData(MAX_REQUEST_BYTES, settings.maxRequestBytes);
    config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
    // Our own connector replaces Javalin's default one, for its accept queue: with the default
    // (50), a burst of new connections (1,000 clients at once in the load benchmark) overflows the
    // kernel's listen queue and clients see refused connections.
    config.jetty.addConnector(
        (server, http) -> {
          org.eclipse.jetty.server.ServerConnector connector =
              new org.eclipse.jetty.server.ServerConnector(
                  server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
          connector.setHost(settings.host);
          connector.setPort(settings.port);
          connector.setAcceptQueueSize(settings.acceptQueueSize);
          return connector;
        });
    config.router.mount(this::register);
  }

  private void register(JavalinDefaultRouting router) {
    router.before(SecurityHeaders::apply);
    router.before(this::limitBody);
    router.beforeMatched(ctx -> authenticator.check(ctx, access(ctx)));
    for (Route route : routes) {
      router.addHttpHandler(route.method(), route.path(), route.handler(), route.access());
    }
    Redactor redactor = context.redactor();
    router.exception(ApiException.class, (e, ctx) -> Responses.error(ctx, redactor, e));
    router.exception(
        HttpResponseException.class, (e, ctx) -> Responses.error(ctx, redactor, fromJavalin(e)));
    router.exception(
        StoreUnavailableException.class,
        (e, ctx) -> {
          LOG.log(Level.WARNING, "store unavailable during " + ctx.method() + " " + ctx.path(), e);
          Responses.error(
              ctx,
              redactor,
              new ApiException(
                  503, "store_unavailable", "the run store is unavailable; try again shortly"));
        });
    router.exception(
        JournalConflictException.class,
        (e, ctx) ->
            Responses.error(
                ctx,
                redactor,
                ApiException.conflict("the run changed while this was done; look again")));
    router.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.log(Level.SEVERE, "failed: " + ctx.method() + " " + ctx.path(), e);
          Responses.error(
              ctx,
              redactor,
              new ApiException(500, "internal", "internal error; the server log has the cause"));
        });
    router.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            Responses.error(
                ctx,
                redactor,
                ApiException.notFound("no endpoint " + ctx.method() + " " + ctx.path()));
          }
        });
  }

  /** The access of the matched endpoint; an endpoint registered without one is for admins. */
  private static Access access(Context ctx) {
    for (RouteRole role : ctx.routeRoles()) {
      if (role instanceof Access access) {
        return access;
      }
    }
    return Access.ADMIN;
  }

  private void limitBody(Context ctx) {
    long length = ctx.contentLength();
    if (length > settings.maxRequestBytes) {
      throw new ApiException(
          413,
          "payload_too_large",
          "the body has " + length + " bytes; the limit is " + settings.maxRequestBytes + " bytes");
    }
  }

  private static ApiException fromJavalin(HttpResponseException e) {
    String error =
        switch (e.getStatus()) {
          case 400 -> "invalid_request";
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 413 -> "payload_too_large";
          default -> "http_" + e.getStatus();
        };
    return new ApiException(e.getStatus(), error, e.getMessage());
  }

  private static void health(Context ctx) {
    ObjectNode out = Jsons.object();
    out.put("status", "ok");
    Responses.ok(ctx, out);
  }

  /** Builds a {@link BridleServer}; {@link #build()} names the field that is missing or wrong. */
  public static final class Builder {
    private RunQueue queue;
    private KillSwitch killSwitch;
    private TokenStore tokens;
    private final Map<String, Rollout> workflows = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private String host = "127.0.0.1";
    private int port = 8080;
    private int acceptQueueSize = 1024;
    private String nodeId =
        "node-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private int workerConcurrency = 16;
    private Duration leaseTime = Duration.ofSeconds(15);
    private Duration pollInterval = Duration.ofMillis(200);
    private Duration approvalExpiryInterval = Duration.ofSeconds(10);
    private Duration streamPollInterval = Duration.ofMillis(200);
    private Duration sessionLifetime = Duration.ofHours(8);
    private boolean secureCookies;
    private int maxRequestBytes = 64 * 1024;
    private UnaryOperator<String> redaction = PiiDetector.standard()::redact;
    private java.util.function.Supplier<String> metrics;
    private dev.bridle.core.deploy.DeploymentEvidence deploymentEvidence;
    private final Map<String, dev.bridle.core.deploy.ReadinessSettings> promotions =
        new LinkedHashMap<>();

    private Builder() {}

    /** The run queue, and through {@link RunQueue#store()} the store; required. */
    public Builder queue(RunQueue queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /**
     * The kill switches the API turns on and off; required. Give the agents the same instance (or
     * one over the same database), or a kill stops nothing.
     */
    public Builder killSwitch(KillSwitch killSwitch) {
      this.killSwitch = Objects.requireNonNull(killSwitch, "killSwitch");
      return this;
    }

    /** Where API tokens are checked; required. */
    public Builder tokens(TokenStore tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * Serves {@code workflow}: runs can be started for it, and this node's worker runs them with
     * the agent {@code agent} builds on the journal it is given (as {@link
     * Worker.Builder#workflow}).
     */
    public Builder workflow(String workflow, Function<RunStore, Agent> agent) {
      return workflow(Rollout.of(workflow, agent));
    }

    /**
     * Serves the versions of {@code rollout}'s workflow side by side: a new run gets the version
     * the rollout picks from its run id; a run that started keeps its version (docs/rollout.md).
     */
    public Builder workflow(Rollout rollout) {
      workflows.put(rollout.workflow(), Objects.requireNonNull(rollout, "rollout"));
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The address to bind (default 127.0.0.1; 0.0.0.0 for every interface). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port (default 8080; 0 picks a free one, see {@link BridleServer#port()}). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * How many connections may wait to be accepted (the listen backlog, default 1,024; the kernel
     * may cap it, see {@code net.core.somaxconn}).
     */
    public Builder acceptQueueSize(int size) {
      if (size < 1) {
        throw new ConfigurationException("accept queue size must be at least 1, but was " + size);
      }
      this.acceptQueueSize = size;
      return this;
    }

    /** This node's id in the cluster (default {@code node-} and random hex). */
    public Builder nodeId(String nodeId) {
      this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
      return this;
    }

    /** Runs the worker works on at once (default 16; 0: HTTP only, no worker). */
    public Builder workerConcurrency(int slots) {
      this.workerConcurrency = slots;
      return this;
    }

    /** The worker's lease time (default 15 s). */
    public Builder leaseTime(Duration leaseTime) {
      this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
      return this;
    }

    /** How long an idle worker slot waits before looking for work again (default 200 ms). */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
      return this;
    }

    /** How often the worker applies timed-out approvals' default (default 10 s). */
    public Builder approvalExpiryInterval(Duration interval) {
      this.approvalExpiryInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** How often an event stream looks for new events (default 200 ms). */
    public Builder streamPollInterval(Duration interval) {
      this.streamPollInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** How long a dashboard session lasts (default 8 h). */
    public Builder sessionLifetime(Duration lifetime) {
      this.sessionLifetime = Objects.requireNonNull(lifetime, "lifetime");
      return this;
    }

    /**
     * Marks session cookies {@code Secure} always (default: only when the request came over HTTPS,
     * directly or as a proxy's {@code X-Forwarded-Proto}).
     */
    public Builder secureCookies(boolean secure) {
      this.secureCookies = secure;
      return this;
    }

    /** The largest request body accepted, in bytes (default 65536). */
    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * The Prometheus text served at {@code GET /metrics} (viewer role); without it the endpoint
     * answers 404.
     */
    public Builder metrics(java.util.function.Supplier<String> scrape) {
      this.metrics = Objects.requireNonNull(scrape, "scrape");
      return this;
    }

    /**
     * Where the deployment evidence is kept (shadow decisions, feedback, suite results, mode
     * changes): for a store opened by {@code RunStores}, {@code
     * RunStores.deploymentEvidence(store)}. Without it the deployment endpoints answer 501.
     */
    public Builder deploymentEvidence(dev.bridle.core.deploy.DeploymentEvidence evidence) {
      this.deploymentEvidence = Objects.requireNonNull(evidence, "evidence");
      return this;
    }

    /**
     * The readiness thresholds of {@code version} of {@code workflow}: what its workflow file's
     * {@code promotion:} section says ({@code WorkflowDefinition.promotion()}). The deployment
     * endpoints assess that version with them (readiness, and the evidence a mode change needs); a
     * version given none is assessed with those of the version that stands for the workflow, else
     * with {@link dev.bridle.core.deploy.ReadinessSettings#DEFAULT}. {@code bridle serve} gives
     * every file's.
     */
    public Builder promotion(
        String workflow, String version, dev.bridle.core.deploy.ReadinessSettings settings) {
      promotions.put(
          Objects.requireNonNull(workflow, "workflow")
              + "@"
              + Objects.requireNonNull(version, "version"),
          Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * How text from runs and people is redacted in responses (default: {@link
     * PiiDetector#standard()}, findings replaced by {@code [REDACTED:TYPE]}).
     */
    public Builder redaction(UnaryOperator<String> redaction) {
      this.redaction = Objects.requireNonNull(redaction, "redaction");
      return this;
    }

    public BridleServer build() {
      if (queue == null) {
        throw new ConfigurationException("server queue is required");
      }
      if (killSwitch == null) {
        throw new ConfigurationException(
            "server kill-switch is required (KillSwitch.NONE to run without kill switches)");
      }
      if (tokens == null) {
        throw new ConfigurationException("server tokens (a TokenStore) is required");
      }
      if (port < 0 || port > 65_535) {
        throw new ConfigurationException(
            "server port must be between 0 and 65535, but was " + port);
      }
      if (host.isBlank()) {
        throw new ConfigurationException("server host must not be blank");
      }
      if (nodeId.isBlank()) {
        throw new ConfigurationException("server node-id must not be blank");
      }
      if (workerConcurrency < 0 || workerConcurrency > 10_000) {
        throw new ConfigurationException(
            "server worker-concurrency must be between 0 and 10000, but was " + workerConcurrency);
      }
      if (maxRequestBytes < 1_024 || maxRequestBytes > 16 * 1024 * 1024) {
        throw new ConfigurationException(
            "server max-request-bytes must be between 1024 and 16777216, but was "
                + maxRequestBytes);
      }
      requirePositive("stream-poll-interval", streamPollInterval);
      requirePositive("session-lifetime", sessionLifetime);
      Optional<String> bad =
          workflows.keySet().stream()
              .filter(w -> !w.matches("[a-z0-9][a-z0-9-]{0,63}"))
              .findFirst();
      if (bad.isPresent()) {
        throw new ConfigurationException(
            "server workflow names must be lower-case letters, digits and dashes, but was '"
                + bad.get()
                + "'");
      }
      return new BridleServer(this);
    }

    private static void requirePositive(String name, Duration value) {
      if (value.isZero() || value.isNegative()) {
        throw new ConfigurationException(name + " must be positive, but was " + value);
      }
    }
  }
}
