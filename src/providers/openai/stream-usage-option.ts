/**
 * Whether streams to one OpenAI-wire provider are asked for their usage (`stream_options.include_usage`).
 * Budgets, token limits and the usage log need the real count, so it is on unless the provider is
 * configured with `include_stream_usage = false`. Some upstreams refuse the field with a 400 (Azure API
 * versions before 2024-09-01: "Unrecognized request argument supplied: stream_options"; servers that
 * reject unknown fields): the first such refusal turns it off for the provider for the life of the
 * process, with one warning in the log, so later requests do not pay the refused round trip. Streams
 * that were not asked are charged an estimate instead (finish-request.ts).
 */
import { GatewayError } from '../../core/errors.js';
import type { ProviderLog } from '../provider-adapter.js';

export class StreamUsageOption {
  private on: boolean;

  constructor(
    private readonly provider: string,
    configured: boolean,
    private readonly log?: ProviderLog,
  ) {
    this.on = configured;
  }

  /** Whether streams are asked for their usage. */
  get enabled(): boolean {
    return this.on;
  }

  /**
   * Whether `error` is the upstream refusing `stream_options` (a 400, or a framework's 422, whose body or
   * `param` names it); if so the field is not sent to this provider again. Only meaningful for a request
   * whose `stream_options` the gateway added: then nothing else in it can be what the upstream names.
   */
  refused(error: unknown): boolean {
    if (!(error instanceof GatewayError)) return false;
    if (error.upstreamStatus !== 400 && error.upstreamStatus !== 422) return false;
    if (error.param !== 'stream_options' && error.upstreamBody?.includes('stream_options') !== true)
      return false;
    if (this.on) {
      this.on = false;
      this.log?.warn(
        { provider: this.provider, upstreamStatus: error.upstreamStatus, upstreamMessage: error.message },
        `${this.provider} refuses stream_options: its streams are no longer asked for usage (set include_stream_usage = false to say so in the config); their usage is estimated`,
      );
    }
    return true;
  }
}
