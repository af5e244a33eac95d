// Type declarations for the makecall package: every public export and data shape.

export * from "./transports.js";
// The simulated workspace is declared by the "makecall/simulated" entry.

/** Loads the wasm core. Idempotent; await it once before anything else. */
export function init(
  source?: URL | string | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

/** Every stable error code a makecall `Error` may carry. */
export type ErrorCode =
  | ValidationCode
  | DialErrorCode
  | "INVALID_JSON"
  | "NOT_AN_OBJECT"
  | "NOT_A_WORKSPACE_MESSAGE"
  | "NOT_A_STATE_CHANGE"
  | "MISSING_CALL"
  | "MISSING_CALL_ID"
  | "TOO_LARGE"
  | "TOO_DEEP"
  | "LIMIT_EXCEEDED"
  | "INVALID_INPUT"
  | "INVALID_PLAN"
  | "COUNTRY_NOT_LOADED"
  | "INVALID_TRANSPORT"
  | "NOT_INITIALIZED";

/** Why `validateNumber` rejected a number. */
export type ValidationCode =
  | "EMPTY"
  | "INVALID_CHARACTER"
  | "TOO_SHORT"
  | "TOO_LONG"
  | "INVALID_NUMBER"
  | "INVALID_COUNTRY_CODE"
  | "NOT_A_NUMBER_RANGE"
  | "OWN_EXTENSION"
  | "BLOCKED";

/** Why `gadget.dial()` rejected. */
export type DialErrorCode =
  | "INVALID_NUMBER"
  | "AGENT_NOT_READY"
  | "DIAL_IN_PROGRESS"
  | "CALL_IN_PROGRESS"
  | "CALL_FAILED"
  | "TIMEOUT"
  | "ABORTED"
  | "CLOSED"
  | "PUBLISH_FAILED";

/** An `Error` thrown or rejected by makecall. */
export interface MakecallError extends Error {
  name: "MakecallError";
  code: ErrorCode;
  /** UTF-16 index of the fault in the input text, when known. */
  index?: number;
  /** Path of the faulty field or option, when known. */
  path?: string;
  /** For a dial's INVALID_NUMBER: the validation code. */
  reason?: ValidationCode;
  /** For CALL_FAILED: the workspace's cause, e.g. "BUSY", "BAD_DESTINATION". */
  cause?: string;
  /** For CALL_FAILED (and a TIMEOUT after a call was seen): the call id. */
  callId?: string;
  /** For buildMakeCall's number errors: the failed validation. */
  validation?: InvalidNumber;
}

/** A preset dial plan name. */
export type PresetName = "any" | "nanp" | "in";

/** What goes into MakeCall `data` (see the README, "Dial plans"). */
export type DialFormat = "asEntered" | "national" | "e164";

/** Dial-plan options (see the README, "Dial plans"). */
export interface DialPlanOptions {
  preset?: PresetName;
  minDigits?: number;
  maxLength?: number;
  extensionDigits?: [number, number];
  ownExtension?: string;
  blockedPrefixes?: string[];
  letters?: boolean;
  countryCode?: string;
  trunkPrefix?: string;
  nationalDigits?: [number, number];
  internationalPrefix?: string;
  accessCode?: string;
  dialFormat?: DialFormat;
  /**
   * ISO 3166 region code (`"GB"`) whose numbering plan (libphonenumber's
   * metadata) reads numbers; not with a preset or the four numbering options.
   * Regions other than +1 and +91 need `loadCountries` first.
   */
  country?: string;
  /** `"possible"` also accepts numbers of a possible length outside every assigned range. */
  accept?: "valid" | "possible";
}

/** A plan: options, or a preset name. */
export type DialPlan = DialPlanOptions | PresetName;

/** The kind of a valid number. */
export type NumberKind = "extension" | "national" | "international";

/** A number that passed validation. */
export interface ValidNumber {
  ok: true;
  /** The string to put in MakeCall `data`. */
  dial: string;
  kind: NumberKind;
  /** The E.164 form, when it can be derived. */
  e164?: string;
  /** The region of the number (ISO 3166, `"001"` for +800 and other non-geographic codes), when the metadata placed it. */
  country?: string;
  /** The number type, when the metadata placed the number. */
  type?: NumberType;
  input: string;
}

/** The number types of libphonenumber's metadata. */
export type NumberType =
  | "fixedLine"
  | "mobile"
  | "fixedLineOrMobile"
  | "tollFree"
  | "premiumRate"
  | "sharedCost"
  | "voip"
  | "personalNumber"
  | "pager"
  | "uan"
  | "voicemail";

/** A number that failed validation. */
export interface InvalidNumber {
  ok: false;
  code: ValidationCode;
  message: string;
  /** UTF-16 index of the offending character. */
  index?: number;
  input: string;
}

/** The result of `validateNumber`. */
export type Validation = ValidNumber | InvalidNumber;

/** Checks a number before it is dialled; a bad number is returned, not thrown. */
export function validateNumber(input: string | number, plan?: DialPlan): Validation;

/** The MakeCall request, keys in wire order. */
export interface MakeCallMessage {
  channel: string;
  topic: "OutboundCall";
  subtopic: "MakeCall";
  data: string;
  source?: string;
}

/** Options of `buildMakeCall`. */
export interface MakeCallOptions {
  plan?: DialPlan;
  /** Defaults to "Finesse". */
  channel?: string;
  /** The app name, sent as `source`. */
  source?: string;
}

/** Builds the MakeCall message; throws with the validation code for a bad number. */
export function buildMakeCall(number: string | number, options?: MakeCallOptions): MakeCallMessage;

/** A normalised call state. */
export type CallState =
  | "initiating"
  | "initiated"
  | "alerting"
  | "active"
  | "held"
  | "wrapUp"
  | "dropped"
  | "failed"
  | "accepted"
  | "unknown";

/** One participant of a call. */
export interface Participant {
  mediaAddress?: string;
  mediaAddressType?: string;
  state?: CallState;
  startTime?: string;
  stateChangeTime?: string;
}

/** A call as described by one state-change message. */
export interface Call {
  callId: string;
  state: CallState;
  rawState: string;
  dialogState?: CallState;
  direction: "outbound" | "inbound" | "unknown";
  callType?: string;
  fromAddress?: string;
  toAddress?: string;
  dialedNumber?: string;
  mediaType?: string;
  campaign?: string;
  outboundType?: string;
  cause?: string;
  participants: Participant[];
  callVariables: Record<string, string>;
}

/** A Finesse agent state. */
export type AgentStateName =
  | "LOGIN"
  | "LOGOUT"
  | "NOT_READY"
  | "READY"
  | "RESERVED"
  | "RESERVED_OUTBOUND"
  | "RESERVED_OUTBOUND_PREVIEW"
  | "TALKING"
  | "HOLD"
  | "WORK"
  | "WORK_READY"
  | "UNKNOWN";

/** An agent as described by an agent-state event. */
export interface Agent {
  state: AgentStateName;
  rawState: string;
  extension?: string;
  loginId?: string;
  loginName?: string;
  name?: string;
  teamId?: string;
  teamName?: string;
  stateChangeTime?: string;
  reasonCode?: string;
}

interface EnvelopeFields {
  channel: string;
  topic: string;
  subtopic: string;
  source?: string;
}

/** The result of `parseMessage`. */
export type ParsedMessage =
  | (EnvelopeFields & { kind: "callStateChange"; call: Call })
  | (EnvelopeFields & { kind: "agentState"; agent: Agent })
  | (EnvelopeFields & { kind: "other" });

/** Parses any workspace message (JSON text or object). */
export function parseMessage(input: string | object): ParsedMessage;

/** Parses a state-change message into its call; throws NOT_A_STATE_CHANGE otherwise. */
export function parseStateChange(input: string | object): Call;

/** Hides all digits but the last four. */
export function redactNumber(text: string): string;

/** Bytes of wasm linear memory. */
export function memoryBytes(): number;

/** What applying a state change did. */
/** "unknown": a state value the tracker does not know, recorded in `history`; the call's `state` is unchanged. */
export type Change = "new" | "advanced" | "duplicate" | "stale" | "unknown";

/** A tracked call. */
export interface CallSnapshot {
  callId: string;
  state: CallState;
  previousState?: CallState;
  direction: "outbound" | "inbound" | "unknown";
  toAddress?: string;
  dialedNumber?: string;
  cause?: string;
  /** ms since the epoch. */
  startedAt: number;
  updatedAt: number;
  history: { state: CallState; at: number }[];
}

/** Tracks calls by id through their states. */
export class CallTracker {
  constructor(options?: { maxEndedCalls?: number });
  apply(eventOrMessage: string | object | Call): { change: Change; call: CallSnapshot };
  calls(): CallSnapshot[];
}

/** A pub/sub channel to the workspace. */
export interface Transport {
  publish(message: object): void;
  subscribe(handler: (message: unknown) => void): () => void;
}

/** Which agent states allow a dial. */
export type AgentStatePolicy = "ready" | "notReady" | "any";

/** Options of `createGadget`. */
export interface GadgetOptions {
  transport: Transport;
  plan?: DialPlan;
  /** Default "ready" (Acqueon's documented precondition). */
  agentStatePolicy?: AgentStatePolicy;
  /** Default 15000. */
  dialTimeoutMs?: number;
  /** App name sent as MakeCall `source`. */
  source?: string;
  /** Default "Finesse". */
  channel?: string;
  /** Ended calls kept in memory; default 50. */
  maxEndedCalls?: number;
  /**
   * Allow a dial while the agent has a live call (sites that allow consult
   * calls). Default false: such a dial fails with CALL_IN_PROGRESS.
   */
  allowDialDuringCall?: boolean;
}

/** What a successful dial resolves to. */
export interface PlacedCall {
  callId: string;
  state: CallState;
  dial: string;
}

/** The click-to-dial gadget. */
export interface Gadget {
  dial(number: string | number, options?: { signal?: AbortSignal }): Promise<PlacedCall>;
  /**
   * Every tracked call change. `dialled` is true for the call the latest dial produced, from the
   * report that settled the dial until the next dial starts (before `dial()`'s promise resolves).
   */
  on(event: "call", listener: (call: CallSnapshot, change: Change, dialled: boolean) => void): () => void;
  on(event: "agent", listener: (agent: Agent) => void): () => void;
  on(event: "error", listener: (error: MakecallError) => void): () => void;
  validate(number: string | number): Validation;
  canDial(): { ok: true } | { ok: false; code: DialErrorCode; message: string };
  calls(): CallSnapshot[];
  readonly agent: Agent | null;
  readonly agentState: AgentStateName | null;
  readonly closed: boolean;
  close(): void;
  readonly resources: { timers: number; pendingDials: number };
}

/** Creates the gadget on a transport. */
export function createGadget(options: GadgetOptions): Gadget;

/**
 * The version of libphonenumber's numbering metadata compiled into the core:
 * `libphonenumber-js@<version> metadata.max.json sha256:<digest>`.
 */
export function metadataVersion(): string;

/**
 * Loads the numbering data of more regions (ISO 3166 codes, or "all"), so
 * plans may name them as `country`. Idempotent. The +1 and +91 regions are built in.
 */
export function loadCountries(countries: readonly string[] | "all"): Promise<void>;
