// Ordered schema migrations. Never edit a shipped migration: append a new one. PRAGMA user_version holds how many
// have been applied, so a file written by a newer Meterbook (user_version > MIGRATIONS.length) is refused.
import { CUBE_DAY, CUBE_MONTH, cubeDdl, cubeFillSql } from './cubes';
import { ROW_ZONE_DDL, zoneFillSql } from './row-zones';

export interface Migration {
  name: string;
  sql: string;
}

// Storage of Cost and Usage rows: money as INTEGER nano-units (1e-9 of the currency unit) so sums are exact integer
// arithmetic; times as INTEGER Unix seconds (UTC); other decimals as REAL; every string or JSON value as an INTEGER id
// into `dict` (dictionary encoding: ~10x smaller rows and integer group-bys). Rollups use 0 for null so their
// dimension tuple can be UNIQUE.
const COST_USAGE = `
  CREATE TABLE cost_usage (
    file_id INTEGER NOT NULL REFERENCES import_file(id),
    row_no INTEGER NOT NULL,
    day INTEGER NOT NULL,
    period_key INTEGER NOT NULL REFERENCES period_key(id),
    tagset INTEGER,
    extras INTEGER,
    "AllocatedMethodDetails" INTEGER,
    "AllocatedMethodId" INTEGER,
    "AllocatedResourceId" INTEGER,
    "AllocatedResourceName" INTEGER,
    "AllocatedTags" INTEGER,
    "AvailabilityZone" INTEGER,
    "BilledCost" INTEGER,
    "BillingAccountId" INTEGER,
    "BillingAccountName" INTEGER,
    "BillingAccountType" INTEGER,
    "BillingCurrency" INTEGER,
    "BillingPeriodEnd" INTEGER,
    "BillingPeriodStart" INTEGER,
    "CapacityReservationId" INTEGER,
    "CapacityReservationStatus" INTEGER,
    "ChargeCategory" INTEGER,
    "ChargeClass" INTEGER,
    "ChargeDescription" INTEGER,
    "ChargeFrequency" INTEGER,
    "ChargePeriodEnd" INTEGER,
    "ChargePeriodStart" INTEGER,
    "CommitmentDiscountCategory" INTEGER,
    "CommitmentDiscountId" INTEGER,
    "CommitmentDiscountName" INTEGER,
    "CommitmentDiscountQuantity" REAL,
    "CommitmentDiscountStatus" INTEGER,
    "CommitmentDiscountType" INTEGER,
    "CommitmentDiscountUnit" INTEGER,
    "CommitmentProgramEligibilityDetails" INTEGER,
    "ConsumedQuantity" REAL,
    "ConsumedUnit" INTEGER,
    "ContractApplied" INTEGER,
    "ContractedCost" INTEGER,
    "ContractedUnitPrice" REAL,
    "EffectiveCost" INTEGER,
    "HostProviderName" INTEGER,
    "InvoiceDetailId" INTEGER,
    "InvoiceId" INTEGER,
    "InvoiceIssuerName" INTEGER,
    "ListCost" INTEGER,
    "ListUnitPrice" REAL,
    "PricingCategory" INTEGER,
    "PricingCurrency" INTEGER,
    "PricingCurrencyContractedUnitPrice" REAL,
    "PricingCurrencyEffectiveCost" INTEGER,
    "PricingCurrencyListUnitPrice" REAL,
    "PricingQuantity" REAL,
    "PricingUnit" INTEGER,
    "RegionId" INTEGER,
    "RegionName" INTEGER,
    "ResourceId" INTEGER,
    "ResourceName" INTEGER,
    "ResourceType" INTEGER,
    "ServiceCategory" INTEGER,
    "ServiceName" INTEGER,
    "ServiceProviderName" INTEGER,
    "ServiceSubcategory" INTEGER,
    "SkuId" INTEGER,
    "SkuMeter" INTEGER,
    "SkuPriceDetails" INTEGER,
    "SkuPriceId" INTEGER,
    "SubAccountId" INTEGER,
    "SubAccountName" INTEGER,
    "SubAccountType" INTEGER,
    "Tags" INTEGER,
    "ProviderName" INTEGER,
    "PublisherName" INTEGER
  ) STRICT;`;

const MEASURES = `
    billed INTEGER NOT NULL,
    effective INTEGER NOT NULL,
    list INTEGER NOT NULL,
    contracted INTEGER NOT NULL,
    rows INTEGER NOT NULL`;

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'initial schema',
    sql: `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE dict (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE) STRICT;
  CREATE TABLE import_job (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    mode TEXT NOT NULL
  ) STRICT;
  CREATE TABLE import_file (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES import_job(id),
    file_name TEXT NOT NULL,
    file_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    dataset TEXT NOT NULL,
    focus_version TEXT NOT NULL,
    rows INTEGER NOT NULL,
    action TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    header TEXT NOT NULL,
    conformance TEXT NOT NULL,
    pass INTEGER NOT NULL,
    fail INTEGER NOT NULL,
    skip INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    -- the file's rows are one contiguous rowid range of cost_usage (one writer, one transaction)
    first_rowid INTEGER,
    last_rowid INTEGER
  ) STRICT;
  CREATE INDEX import_file_sha ON import_file(sha256);
  CREATE INDEX import_file_fingerprint ON import_file(fingerprint);
  CREATE TABLE period_key (
    id INTEGER PRIMARY KEY,
    invoice_issuer TEXT NOT NULL,
    billing_account TEXT NOT NULL,
    billing_period_start INTEGER NOT NULL,
    UNIQUE (invoice_issuer, billing_account, billing_period_start)
  ) STRICT;
  ${COST_USAGE}
  -- rows per file and billing period: finds restated periods without touching cost_usage
  CREATE TABLE file_period (
    file_id INTEGER NOT NULL REFERENCES import_file(id),
    period_key INTEGER NOT NULL REFERENCES period_key(id),
    rows INTEGER NOT NULL,
    min_day INTEGER NOT NULL,
    max_day INTEGER NOT NULL,
    PRIMARY KEY (file_id, period_key)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX file_period_period ON file_period(period_key);
  CREATE INDEX cost_usage_sub_account ON cost_usage("SubAccountId");
  CREATE TABLE tag (
    tagset INTEGER NOT NULL,
    key INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (tagset, key)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX tag_key_value ON tag(key, value);
  CREATE TABLE rollup_resource_month (
    month INTEGER NOT NULL,
    "BillingCurrency" INTEGER NOT NULL,
    "ResourceId" INTEGER NOT NULL,${MEASURES},
    PRIMARY KEY (month, "BillingCurrency", "ResourceId")
  ) WITHOUT ROWID, STRICT;
  -- One narrow daily rollup per dimension: dim 0 is the total, 1..10 the rollup dimensions in the order of
  -- ROLLUP_DIMENSIONS, and -k the tag key with dict id k (rows without that key are total minus the tagged ones).
  CREATE TABLE rollup_dim (
    dim INTEGER NOT NULL,
    day INTEGER NOT NULL,
    currency INTEGER NOT NULL,
    value INTEGER NOT NULL,${MEASURES},
    PRIMARY KEY (dim, day, currency, value)
  ) WITHOUT ROWID, STRICT;
`,
  },
  {
    name: 'bill formats: the format each file was read as, and its source header',
    sql: `
  ALTER TABLE import_file ADD COLUMN format TEXT NOT NULL DEFAULT 'focus-csv';
  ALTER TABLE import_file ADD COLUMN source_header TEXT;
`,
  },
  {
    // The three supporting FOCUS datasets are small (one row per commitment, invoice line or billing period), so they
    // are stored plainly: text as TEXT, money as INTEGER nano-units, other decimals REAL, times Unix seconds. Rows
    // with the key of a row delivered earlier replace it (see dataset-writer.ts).
    name: 'FOCUS Contract Commitment, Invoice Detail and Billing Period datasets',
    sql: `
  CREATE TABLE contract_commitment (
    file_id INTEGER NOT NULL REFERENCES import_file(id),
    row_no INTEGER NOT NULL,
    "BillingCurrency" TEXT,
    "ContractCommitmentApplicability" TEXT,
    "ContractCommitmentBenefitCategory" TEXT,
    "ContractCommitmentCategory" TEXT,
    "ContractCommitmentCost" INTEGER, -- nano-units
    "ContractCommitmentCreated" INTEGER,
    "ContractCommitmentDescription" TEXT,
    "ContractCommitmentDiscountPercentage" REAL,
    "ContractCommitmentDurationType" TEXT,
    "ContractCommitmentFulfillmentInterval" TEXT,
    "ContractCommitmentId" TEXT,
    "ContractCommitmentLastUpdated" INTEGER,
    "ContractCommitmentLifecycleStatus" TEXT,
    "ContractCommitmentModel" TEXT,
    "ContractCommitmentOfferCategory" TEXT,
    "ContractCommitmentPaymentInterval" TEXT,
    "ContractCommitmentPaymentModel" TEXT,
    "ContractCommitmentPaymentUpfrontPercentage" REAL,
    "ContractCommitmentPeriodEnd" INTEGER,
    "ContractCommitmentPeriodStart" INTEGER,
    "ContractCommitmentQuantity" REAL,
    "ContractCommitmentType" TEXT,
    "ContractCommitmentUnit" TEXT,
    "ContractId" TEXT,
    "ContractPeriodEnd" INTEGER,
    "ContractPeriodStart" INTEGER,
    "InvoiceIssuerName" TEXT,
    "PricingCurrency" TEXT,
    "PricingCurrencyContractCommitmentCost" INTEGER, -- nano-units
    "ServiceProviderName" TEXT,
    extras TEXT
  ) STRICT;
  CREATE TABLE invoice_detail (
    file_id INTEGER NOT NULL REFERENCES import_file(id),
    row_no INTEGER NOT NULL,
    "BilledCost" INTEGER, -- nano-units
    "BillingAccountId" TEXT,
    "BillingCurrency" TEXT,
    "BillingPeriodEnd" INTEGER,
    "BillingPeriodStart" INTEGER,
    "ChargeCategory" TEXT,
    "InvoiceDetailCreated" INTEGER,
    "InvoiceDetailDescription" TEXT,
    "InvoiceDetailGrain" TEXT,
    "InvoiceDetailId" TEXT,
    "InvoiceDetailLastUpdated" INTEGER,
    "InvoiceId" TEXT,
    "InvoiceIssueDate" INTEGER,
    "InvoiceIssuerName" TEXT,
    "InvoiceIssueStatus" TEXT,
    "PaymentCurrency" TEXT,
    "PaymentCurrencyBilledCost" INTEGER, -- nano-units
    "PaymentCurrencyInvoiceDetailId" TEXT,
    "PaymentDueDate" INTEGER,
    "PaymentTerms" TEXT,
    "PurchaseOrderNumber" TEXT,
    "ReferenceInvoiceId" TEXT,
    extras TEXT
  ) STRICT;
  CREATE TABLE billing_period (
    file_id INTEGER NOT NULL REFERENCES import_file(id),
    row_no INTEGER NOT NULL,
    "BillingPeriodCreated" INTEGER,
    "BillingPeriodEnd" INTEGER,
    "BillingPeriodLastUpdated" INTEGER,
    "BillingPeriodStart" INTEGER,
    "BillingPeriodStatus" TEXT,
    "InvoiceIssuerName" TEXT,
    extras TEXT
  ) STRICT;

  CREATE INDEX contract_commitment_file ON contract_commitment(file_id);
  CREATE INDEX contract_commitment_id ON contract_commitment("ContractCommitmentId");
  CREATE INDEX contract_commitment_contract ON contract_commitment("ContractId");
  CREATE INDEX invoice_detail_file ON invoice_detail(file_id);
  CREATE INDEX invoice_detail_invoice ON invoice_detail("InvoiceIssuerName", "InvoiceId", "InvoiceDetailId");
  CREATE INDEX billing_period_file ON billing_period(file_id);
  CREATE INDEX billing_period_key ON billing_period("InvoiceIssuerName", "BillingPeriodStart");
`,
  },
  {
    // Linking Cost and Usage to contract commitments (explore/dataset-links.ts) reads each distinct ContractApplied
    // value: a partial index costs an import nothing for rows without one, which (FOCUS 1.3+) is most rows of most
    // bills. Invoice sums have no index of their own: a covering one made them 5× faster (1M rows: 0.15 s instead of
    // 0.75 s) but every import about 5 % slower, since nearly every row carries an InvoiceId.
    name: 'index linking Cost and Usage to contract commitments',
    sql: `
  CREATE INDEX cost_usage_contract_applied ON cost_usage("ContractApplied", "BillingCurrency", file_id)
    WHERE "ContractApplied" IS NOT NULL;
`,
  },
  {
    // Saved views travel with the workspace they were made for (its columns, tags and date range). Names are unique
    // regardless of case: "AWS by region" and "aws by region" side by side in the sidebar would only confuse.
    // `definition` is the JSON of the contract's SavedViewDefinition.
    name: 'saved views',
    sql: `
  CREATE TABLE saved_view (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    definition TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
  ) STRICT;
`,
  },
  {
    // Null counts of the columns the data-quality view reports (store/null-counts.ts), per file and billing period:
    // JSON {column: [applicable rows, nulls]}. NULL for rows imported before this migration (they are re-counted only
    // by importing their file again). Kept beside the period's row count so a replaced period drops its counts too.
    name: 'null counts per file and billing period',
    sql: `
  ALTER TABLE file_period ADD COLUMN null_counts TEXT;
`,
  },
  {
    // Cubes for questions that combine columns (store/cubes.ts); a workspace made before them gets them filled from
    // its rows once, here.
    name: 'cubes: day × dimensions, month × dimensions × tag set',
    sql: `
  ${cubeDdl(CUBE_DAY)}
  ${cubeDdl(CUBE_MONTH)}
  ${cubeFillSql(CUBE_DAY, '1')};
  ${cubeFillSql(CUBE_MONTH, '1')};
  INSERT INTO meta (key, value) VALUES ('cube_generation', '1') ON CONFLICT (key) DO NOTHING;
`,
  },
  {
    // The zone map (store/row-zones.ts): date ranges on raw rows read only the rowid blocks holding those days. Filled
    // for existing rows in one grouped pass (~0.4 s per million rows).
    name: 'zone map: min and max day per block of cost_usage rowids',
    sql: `
  ${ROW_ZONE_DDL}
  ${zoneFillSql('1')};
`,
  },
  {
    // Allocation (src-main/allocate): every apply is a version (its rule set as JSON, its checks); the latest applied
    // version's result is alloc_cell (spend by dimension, month, currency, target and the rule or pool that put it
    // there; shared cells are the pool's exact split) and alloc_sig (what each signature of the read columns gets),
    // both replaced as a whole by the next apply. Driver data is quantity per driver, month and target.
    name: 'allocation: versions, applied results and driver data',
    sql: `
  CREATE TABLE alloc_version (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    note TEXT,
    ruleset TEXT NOT NULL,
    checks TEXT NOT NULL,
    sig_cols TEXT NOT NULL,
    rows INTEGER NOT NULL,
    seconds REAL NOT NULL,
    source TEXT NOT NULL
  ) STRICT;
  CREATE TABLE alloc_cell (
    dim TEXT NOT NULL,
    month TEXT NOT NULL,
    currency TEXT NOT NULL,
    target TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'shared', 'unallocated')),
    source TEXT NOT NULL,
    billed INTEGER NOT NULL,
    effective INTEGER NOT NULL,
    list INTEGER NOT NULL,
    contracted INTEGER NOT NULL,
    rows INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX alloc_cell_dim ON alloc_cell(dim, month);
  CREATE TABLE alloc_sig (
    sig TEXT NOT NULL,
    dim TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'pool', 'unallocated')),
    value TEXT,
    source TEXT,
    PRIMARY KEY (dim, sig)
  ) WITHOUT ROWID, STRICT;
  CREATE TABLE alloc_driver (
    driver TEXT NOT NULL,
    period TEXT NOT NULL,
    target TEXT NOT NULL,
    quantity REAL NOT NULL,
    PRIMARY KEY (driver, period, target)
  ) WITHOUT ROWID, STRICT;
  CREATE TABLE alloc_driver_file (
    driver TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows INTEGER NOT NULL
  ) STRICT;
`,
  },
];
