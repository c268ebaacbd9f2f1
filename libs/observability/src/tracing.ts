import { Context, context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace-node';

let fromEnvironment: NodeTracerProvider | undefined;

/**
 * Traces this process when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, exporting over OTLP/HTTP (the
 * exporter reads the standard OTEL_EXPORTER_OTLP_* variables). Otherwise every span is the API's
 * no-op and costs nothing.
 */
export function startTracing(service: string): void {
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT && !fromEnvironment) fromEnvironment = installTracing(service, new BatchSpanProcessor(new OTLPTraceExporter()));
}

/** Sends the spans not yet exported, at shutdown, when `startTracing` traced this process. */
export async function stopTracing(): Promise<void> {
  await fromEnvironment?.shutdown();
  fromEnvironment = undefined;
}

/** Traces this process into `processor`: OTLP in a deployment, an in-memory exporter in a test. */
export function installTracing(service: string, processor: SpanProcessor): NodeTracerProvider {
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [processor] });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return provider;
}

const tracer = () => trace.getTracer('crescent');

/** The context a W3C `traceparent` names (from a request, an event's metadata or a ce_traceparent header); the root without one. */
export function contextOf(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** The `traceparent` of the span now active, to carry on; undefined when nothing is traced. */
export function activeTraceparent(): string | undefined {
  const carrier: { traceparent?: string } = {};
  if (trace.getActiveSpan()?.isRecording()) propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  /** The context the span continues; the active one when absent. */
  readonly parent?: Context;
  /** Identifiers and counts only: never a value of a record. */
  readonly attributes?: Record<string, string | number>;
}

/** Starts a span the caller ends, and the context to run its work in. */
export function startSpan(name: string, options: SpanOptions = {}): { span: Span; context: Context } {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `work` in a span that ends with it; a failure marks the span with the error's class, never its message (it could quote data). */
export async function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const { span, context: spanContext } = startSpan(name, options);
  try {
    return await context.with(spanContext, work);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : typeof error });
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `work` in `spanContext`: a request's middleware hands its span on this way. */
export function withTraceContext<T>(spanContext: Context, work: () => T): T {
  return context.with(spanContext, work);
}

export { SpanKind, SpanStatusCode };
