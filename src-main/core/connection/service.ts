import type { ConnectionCheck, ConnectionReport } from '../../../src-shared/aws';
import type { Settings } from '../../../src-shared/settings';
import { AwsClients } from '../aws/clients';
import { checkConnection } from '../aws/connection';
import { listEndpoints } from '../aws/endpoints';
import { statusPill } from '../aws/health';
import type { CheckedReport } from '../aws/health';
import { errorContextFor, mapAwsError } from '../aws/map-error';
import { listProfiles } from '../aws/profiles';
import { StudioError } from '../errors';
import type { AreaHandlers } from '../handlers';
import type { SettingsService } from '../settings';
import type { StateStore } from '../state-store';

/** How long a connection check stands for the status pill (the Dreams since are merged in). */
const healthMs = 60_000;

/** Settings, and whether they work: profiles, endpoint discovery, Test connection, the status pill. */
export class ConnectionService {
  private health: { at: number; report: Promise<ConnectionReport> } | undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly clients: AwsClients,
    private readonly state: StateStore,
    /** Sign in with Cognito's own checks (the pool's discovery document, the app client). */
    private readonly signInChecks?: (s: Settings) => Promise<ConnectionCheck[]>,
  ) {}

  /** Settings changed: the next status is checked afresh. */
  forget(): void {
    this.health = undefined;
  }

  /** Endpoint health for the status line, checked at most once a minute (statusPill merges in the Dreams since). */
  private async healthReport(): Promise<CheckedReport> {
    if (!this.health || Date.now() - this.health.at > healthMs) {
      this.health = { at: Date.now(), report: checkConnection(this.clients, this.settings.get(), this.signInChecks) };
    }
    const { at, report } = this.health;
    return { at, report: await report };
  }

  /** Runs with the saved settings' clients, or with throw-away clients for the dialog's unsaved settings. */
  private async withClients<T>(
    unsaved: Settings | undefined,
    run: (clients: AwsClients, s: Settings) => Promise<T>,
  ): Promise<T> {
    const settings = unsaved ?? this.settings.get();
    const clients = unsaved ? new AwsClients(unsaved, this.state) : this.clients;
    clients.signIn = this.clients.signIn;
    try {
      return await run(clients, settings);
    } catch (error) {
      // AWS errors become the contract's errors.
      const e = mapAwsError(error, errorContextFor(settings));
      throw new StudioError(e.code, e.message, e.hint);
    } finally {
      if (unsaved) clients.reset();
    }
  }

  readonly handlers: AreaHandlers<
    'getSettings' | 'saveSettings' | 'getStatus' | 'listProfiles' | 'discoverEndpoints' | 'testConnection'
  > = {
    getSettings: async () => this.settings.get(),
    saveSettings: async (input) => this.settings.save(input),
    getStatus: async () => {
      const s = this.settings.get();
      if (this.settings.recovery) return { indicator: 'warning', text: this.settings.recovery };
      if (s.models.length === 0) return { indicator: 'warning', text: 'No SageMaker endpoint configured' };
      return statusPill(s, await this.healthReport(), this.clients.invokeOutcomes);
    },
    listProfiles: () => listProfiles(),
    discoverEndpoints: (input) => this.withClients(input, async (clients) => listEndpoints(await clients.sagemaker())),
    testConnection: (input) => this.withClients(input, (clients, s) => checkConnection(clients, s, this.signInChecks)),
  };
}
