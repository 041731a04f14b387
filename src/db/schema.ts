// Row types of every table, as Kysely sees them. Kept by hand beside the migrations.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type JsonValue = ColumnType<unknown, string, string>;

export type SettingsTable = {
  key: string;
  value: JsonValue;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type ServerKeysTable = {
  purpose: string;
  fingerprint: string;
  public_armored: string;
  private_armored: string;
  created_at: CreatedAt;
};

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export type JobsTable = {
  id: Generated<string>;
  type: string;
  payload: JsonValue;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  idempotency_key: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
};

export type ProductsTable = {
  id: Generated<string>;
  slug: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type BlobsTable = { sha256: string; size: ColumnType<number, number, never>; created_at: CreatedAt };

export type ReportsTable = {
  id: Generated<string>;
  tracking_id: string;
  status: ColumnType<string, string | undefined, string>;
  source: 'form' | 'api';
  title: string;
  product_id: string | null;
  product_text: string | null;
  version: string | null;
  description: string;
  encrypted: boolean;
  steps: string | null;
  impact: string | null;
  cvss_vector: string | null;
  reporter_name: string | null;
  reporter_email: string | null;
  credit: 'named' | 'anonymous';
  credit_name: string | null;
  preferred_disclosure_date: string | null;
  status_token_hash: string;
  /** When the reporter agreed to be credited by name; null when anonymous. */
  credit_consent_at: Timestamp | null;
  /** Generated full-text vector of title and (unless encrypted) description, steps, impact. */
  search: ColumnType<string, never, never>;
  created_at: CreatedAt;
};

export type ReportMessagesTable = {
  id: Generated<string>;
  report_id: string;
  author: 'reporter' | 'staff';
  /** For staff messages: who wrote it (the reporter sees only "Security team"). */
  author_user_id: string | null;
  author_label: string | null;
  body: string;
  created_at: CreatedAt;
};

/** Further private status links of a report, each mailed once with a notice; only hashes are kept. */
export type ReportAccessLinksTable = {
  id: Generated<string>;
  report_id: string;
  token_hash: string;
  purpose: string;
  created_at: CreatedAt;
};

export type ReportEventsTable = {
  id: Generated<string>;
  report_id: string;
  kind: string;
  public: boolean;
  detail: ColumnType<unknown, string | undefined, never>;
  actor: string;
  created_at: CreatedAt;
};

export type AttachmentsTable = {
  id: Generated<string>;
  report_id: string;
  message_id: string | null;
  file_name: string;
  declared_type: string;
  size: ColumnType<number, number, never>;
  sha256: string;
  created_at: CreatedAt;
};

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: read as 'YYYY-MM-DD' text (see the type parsers in database.ts). */
type DateText = ColumnType<string, string, string>;

export type SuppliersTable = {
  id: Generated<string>;
  slug: string;
  name: string;
  country: string | null;
  contacts: ColumnType<unknown, string | undefined, string>;
  created_at: CreatedAt;
};

export type ModelsTable = {
  id: Generated<string>;
  product_id: string;
  slug: string;
  name: string;
  hardware_revisions: ColumnType<string[], string[] | undefined, string[]>;
  remote_update: ColumnType<boolean, boolean | undefined, boolean>;
  support_ends: DateText | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type SupplierRelation = 'builds' | 'supplies-parts';

export type ModelSuppliersTable = {
  model_id: string;
  supplier_id: string;
  relation: SupplierRelation;
  created_at: CreatedAt;
};

export type FirmwareVersionsTable = {
  id: Generated<string>;
  model_id: string;
  version: string;
  version_key: string;
  release_date: DateText | null;
  notes: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type SbomFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json';

export type SbomsTable = {
  id: Generated<string>;
  firmware_version_id: string;
  format: SbomFormat;
  spec_version: string;
  serial_number: string | null;
  sha256: string;
  size: number;
  component_count: number;
  uploaded_by: string;
  uploaded_by_label: string;
  uploaded_at: CreatedAt;
};

export type ComponentsTable = {
  id: Generated<number>;
  sbom_id: string;
  firmware_version_id: string;
  name: string;
  version: string | null;
  version_key: string | null;
  purl: string | null;
  purl_base: string | null;
  supplier: string | null;
  licences: ColumnType<string[], string[] | undefined, string[]>;
  hashes: ColumnType<Array<{ alg: string; value: string }>, string | undefined, string>;
  bom_ref: string | null;
};

export type UsersTable = {
  id: Generated<string>;
  email: string;
  name: string;
  role: 'admin' | 'analyst' | 'supplier' | 'auditor';
  supplier_id: string | null;
  password_hash: string;
  disabled_at: Timestamp | null;
  password_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: CreatedAt;
};

export type SessionsTable = {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
};

export type ApiTokensTable = {
  id: Generated<string>;
  name: string;
  user_id: string;
  role: 'admin' | 'analyst' | 'supplier' | 'auditor';
  token_hash: string;
  prefix: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  expires_at: Timestamp | null;
};

export type LoginAttemptsTable = {
  id: Generated<string>;
  at: Timestamp;
  email: string;
  ip: string;
  succeeded: boolean;
};

export type AuditLogTable = {
  id: Generated<string>;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor: string;
  actor_label: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  detail: ColumnType<unknown, string | undefined, never>;
  ip: string | null;
};

export type SafeguardStatusColumn = 'missing' | 'requested' | 'agreed' | 'verified' | 'not-applicable';

export type SupplierSafeguardsTable = {
  supplier_id: string;
  item_key: string;
  status: SafeguardStatusColumn;
  terms_days: number | null;
  status_date: DateText | null;
  evidence_url: string | null;
  evidence_sha256: string | null;
  evidence_file_name: string | null;
  note: ColumnType<string, string | undefined, string>;
  updated_by: string;
  updated_by_label: string;
  updated_at: Timestamp;
};

export type SupplierEvidenceFilesTable = {
  id: Generated<string>;
  supplier_id: string;
  item_key: string;
  sha256: string;
  file_name: string;
  declared_type: string;
  size: ColumnType<number, number, never>;
  uploaded_by: string;
  uploaded_by_label: string;
  uploaded_at: ColumnType<Date, Date | string, never>;
};

export type SupplierSafeguardEventsTable = {
  id: Generated<string>;
  supplier_id: string;
  item_key: string;
  kind: 'changed' | 'evidence-uploaded';
  changes: ColumnType<unknown, string, never>;
  actor: string;
  actor_label: string;
  at: ColumnType<Date, Date | string, never>;
};

export type CaseStateColumn =
  | 'new'
  | 'triage'
  | 'confirmed'
  | 'not-a-vulnerability'
  | 'duplicate'
  | 'out-of-scope'
  | 'fixing'
  | 'fix-available'
  | 'disclosed'
  | 'closed';

export type CasesTable = {
  id: Generated<string>;
  number: string;
  title: string;
  summary: ColumnType<string, string | undefined, string>;
  state: ColumnType<CaseStateColumn, CaseStateColumn | undefined, CaseStateColumn>;
  cvss_vector: string | null;
  cvss_version: string | null;
  cvss_score: number | null;
  cvss_severity: 'none' | 'low' | 'medium' | 'high' | 'critical' | null;
  cwe_id: string | null;
  assignee_user_id: string | null;
  supplier_id: string | null;
  fix_available_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  disclosed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  agreed_disclosure_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  actively_exploited_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  severe_incident_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** CRA report key → ISO instant it was submitted. */
  cra_reports_submitted: ColumnType<Record<string, string>, string | undefined, string>;
  /** The earliest due date among the case's running or overdue clocks; null when none runs. */
  next_due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Generated full-text vector of number, title and summary (read-only). */
  search: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type CaseReportsTable = {
  report_id: string;
  case_id: string;
  relation: 'origin' | 'duplicate';
  attached_at: ColumnType<Date, Date | string, never>;
  attached_by: string;
};

export type CaseEventsTable = {
  id: Generated<string>;
  case_id: string;
  at: ColumnType<Date, Date | string, never>;
  actor: string;
  actor_label: string;
  kind: string;
  from: ColumnType<unknown, string | null, never>;
  to: ColumnType<unknown, string | null, never>;
  reason: string | null;
};

export type CaseAffectsTable = {
  id: Generated<string>;
  case_id: string;
  model_id: string;
  version_range: string;
  fixed_in: string | null;
};

export type CaseThreadColumn = 'supplier' | 'internal';

export type CaseMessagesTable = {
  id: Generated<string>;
  seq: Generated<string>;
  case_id: string;
  thread: CaseThreadColumn;
  /** The supplier assigned when a supplier-thread message was written; null in internal notes. */
  supplier_id: string | null;
  author_kind: 'staff' | 'supplier';
  author_user_id: string;
  author_label: string;
  body: string;
  created_at: ColumnType<Date, Date | string, never>;
};

export type CaseMessageFilesTable = {
  id: Generated<string>;
  message_id: string;
  case_id: string;
  thread: CaseThreadColumn;
  purpose: 'attachment' | 'fix-material';
  file_name: string;
  declared_type: string;
  size: ColumnType<number, number, never>;
  sha256: string;
  created_at: ColumnType<Date, Date | string, never>;
};

export type WebhookDeliveryStateColumn = 'pending' | 'delivered' | 'failed' | 'cancelled';

export type WebhookEndpointsTable = {
  id: Generated<string>;
  url: string;
  description: ColumnType<string, string | undefined, string>;
  event_types: ColumnType<string[], string[], string[]>;
  secret: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  created_at: ColumnType<Date, Date | string, never>;
  updated_at: Timestamp;
  disabled_at: Timestamp | null;
};

export type WebhookDeliveriesTable = {
  id: Generated<string>;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: JsonValue;
  state: ColumnType<
    WebhookDeliveryStateColumn,
    WebhookDeliveryStateColumn | undefined,
    WebhookDeliveryStateColumn
  >;
  attempts: ColumnType<number, number | undefined, number>;
  last_status_code: number | null;
  last_error: string | null;
  last_response_excerpt: string | null;
  created_at: ColumnType<Date, Date | string, never>;
  last_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
};

export type DB = {
  settings: SettingsTable;
  server_keys: ServerKeysTable;
  jobs: JobsTable;
  products: ProductsTable;
  blobs: BlobsTable;
  reports: ReportsTable;
  report_messages: ReportMessagesTable;
  report_access_links: ReportAccessLinksTable;
  report_events: ReportEventsTable;
  attachments: AttachmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  suppliers: SuppliersTable;
  models: ModelsTable;
  model_suppliers: ModelSuppliersTable;
  firmware_versions: FirmwareVersionsTable;
  sboms: SbomsTable;
  components: ComponentsTable;
  supplier_safeguards: SupplierSafeguardsTable;
  supplier_evidence_files: SupplierEvidenceFilesTable;
  supplier_safeguard_events: SupplierSafeguardEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  cases: CasesTable;
  case_reports: CaseReportsTable;
  case_events: CaseEventsTable;
  case_affects: CaseAffectsTable;
  case_messages: CaseMessagesTable;
  case_message_files: CaseMessageFilesTable;
  firmware_artifacts: FirmwareArtifactsTable;
  releases: ReleasesTable;
  release_cases: ReleaseCasesTable;
  tuf_metadata: TufMetadataTable;
  tuf_online_keys: TufOnlineKeysTable;
  devices: DevicesTable;
  device_reports: DeviceReportsTable;
  device_session_keys: DeviceSessionKeysTable;
  rollouts: RolloutsTable;
  rollout_events: RolloutEventsTable;
  rollout_offers: RolloutOffersTable;
};

export type FirmwareArtifactsTable = {
  id: Generated<string>;
  model_id: string;
  sha256: string;
  sha512: string;
  size: ColumnType<number, number, never>;
  file_name: string;
  uploaded_by: string;
  uploaded_by_label: string;
  created_at: CreatedAt;
};

export type ReleasesTable = {
  id: Generated<string>;
  model_id: string;
  artifact_id: string;
  firmware_version_id: string | null;
  version: string;
  hardware_revisions: string[];
  notes: string;
  install_over: string;
  release_counter: number;
  target_path: string;
  state: Generated<'awaiting-signature' | 'signed' | 'withdrawn'>;
  signed_in_targets_version: number | null;
  withdrawn_at: Date | null;
  created_by: string;
  created_by_label: string;
  created_at: CreatedAt;
};

export type ReleaseCasesTable = { release_id: string; case_id: string };

export type TufMetadataTable = {
  role: 'root' | 'targets' | 'snapshot' | 'timestamp';
  version: number;
  body: string;
  expires_at: Date;
  created_at: CreatedAt;
};

export type TufOnlineKeysTable = {
  role: 'targets' | 'snapshot' | 'timestamp' | 'director';
  key_id: string;
  public_hex: string;
  private_encrypted: string;
  created_at: CreatedAt;
};

export type Report = Selectable<ReportsTable>;
export type NewReport = Insertable<ReportsTable>;
export type Product = Selectable<ProductsTable>;
export type Job = Selectable<JobsTable>;

export type DeviceCredentialKind = 'ed25519' | 'secret';

export type DevicesTable = {
  id: Generated<string>;
  serial: string;
  model_id: string;
  hardware_revision: string;
  credential_kind: DeviceCredentialKind;
  credential: string;
  installed_version: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  region: string | null;
  last_seen_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
};

export type DeviceReportKind =
  | 'download-started'
  | 'download-finished'
  | 'download-failed'
  | 'install-succeeded'
  | 'install-failed'
  | 'running';

export type DeviceReportsTable = {
  id: ColumnType<string, never, never>;
  device_id: string;
  kind: DeviceReportKind;
  release_id: string | null;
  version: string | null;
  error_code: string | null;
  at: Timestamp;
  received_at: CreatedAt;
};

export type DeviceSessionKeysTable = {
  key_id: string;
  secret_encrypted: string;
  created_at: CreatedAt;
};

export type RolloutState = 'draft' | 'running' | 'paused' | 'halted' | 'completed' | 'aborted';

export type RolloutsTable = {
  id: Generated<string>;
  release_id: string;
  selector: JsonValue;
  stages: JsonValue;
  failure_threshold: number;
  min_reports_before_halt: number;
  mode: 'soft' | 'forced' | 'download-only';
  maintenance_window: ColumnType<unknown, string | null, string | null>;
  state: Generated<RolloutState>;
  current_stage: Generated<number>;
  stage_started_at: Timestamp | null;
  created_by: string;
  created_by_label: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type RolloutEventsTable = {
  id: ColumnType<string, never, never>;
  rollout_id: string;
  at: Timestamp;
  actor: string;
  actor_label: string;
  action: string;
  from_state: string | null;
  to_state: string;
  stage: number;
  reason: string | null;
  detail: JsonValue;
};

export type RolloutOffersTable = {
  rollout_id: string;
  device_id: string;
  stage: number;
  offered_at: Timestamp;
};
