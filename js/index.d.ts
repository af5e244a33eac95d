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
  | "INVALID_OPTIONS"
  | "INIT_FAILED"
  | "INVALID_SCENARIO"
  | "NOT_INITIALIZED";
// NOT_CONNECTED, SUBSCRIBE_REFUSED and WORKSPACE_ERROR are dial codes (below);
// NOT_CONNECTED is also thrown by a transport's publish, SUBSCRIBE_REFUSED is
// also the code of a gadget "error" event.

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
  | "BLOCKED"
  | "EMERGENCY_NUMBER";

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
  | "PUBLISH_FAILED"
  | "NOT_CONNECTED"
  | "SUBSCRIBE_REFUSED"
  | "WORKSPACE_ERROR"
  | "NOT_REGISTERED";

/**
 * The one error class of the package: every error makecall throws or rejects with (the core's, the
 * gadget's, the transports', the simulated workspace's) is a `MakecallError` with a stable `code`.
 */
export class MakecallError extends Error {
  constructor(
    code: ErrorCode,
    message: string,
    fields?: Partial<Pick<MakecallError, "index" | "path" | "reason" | "stateCause" | "callId" | "validation">>,
  );
  name: "MakecallError";
  code: ErrorCode;
  /** UTF-16 index of the fault in the input text, when known. */
  index?: number;
  /** Path of the faulty field or option, when known (e.g. "signal", "allowedOrigins[2]"). */
  path?: string;
  /** For a dial's INVALID_NUMBER: the validation code. */
  reason?: ValidationCode;
  /** For CALL_FAILED: the workspace's cause, e.g. "BUSY", "BAD_DESTINATION" (Finesse's `stateCause`; not ES2022's chained `cause`). */
  stateCause?: string;
  /**
   * For CALL_FAILED (and a TIMEOUT after a call was seen): the call id. For CALL_IN_PROGRESS: the live
   * call's id, the one to pass to `gadget.forgetCall` when that call's end never reached the gadget.
   */
  callId?: string;
  /** For WORKSPACE_ERROR: the error event's `errorType`, e.g. "Invalid State", "WEBSOCKET_ERROR". */
  errorType?: string;
  /** For WORKSPACE_ERROR: the error event's `errorMessage`, e.g. "CF_INVALID_OBJECT_STATE". */
  errorMessage?: string;
  /** For WORKSPACE_ERROR: the error event's `msg`. */
  detail?: string;
  /** For a WORKSPACE_ERROR event (no dial pending): the channel it came on. */
  channel?: string;
  /** For buildMakeCall's number errors: the failed validation. */
  validation?: InvalidNumber;
  /** For WORKSPACE_ERROR from finesseTransport: the HTTP status Finesse answered, e.g. "400" (errorType then is Finesse's ErrorType, e.g. "Invalid Destination"). */
  status?: string;
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
  /** `true` lets the emergency numbers of the plan's country be dialled (`EMERGENCY_NUMBER` otherwise). */
  allowEmergency?: boolean;
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
  /** The extension written after the number (`ext. 123`, `x45`, `#45`), digits only; it is not in `dial`. */
  extension?: string;
  /**
   * The number as libphonenumber writes it (with the extension), when its calling code's data is loaded.
   * Written by the core when first read, from the result's `e164`, `country` and `extension` (an own
   * enumerable property all the same: `JSON.stringify`, spread and `structuredClone` see it).
   */
  formatted?: { national: string; international: string };
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

/** The Finesse-channel MakeCall (docs.acqueon.com/docs/make-a-call-4), keys in wire order. */
export interface FinesseMakeCallMessage {
  channel: string;
  topic: "OutboundCall";
  subtopic: "MakeCall";
  data: string;
  /** Only when given (bare form), always in the packet form. */
  source?: string;
}

/** The Cisco-channel MakeCall (docs.acqueon.com/docs/make-a-call-3), keys in wire order. */
export interface CiscoMakeCallMessage {
  channel: string;
  topic: "InboundCall";
  subtopic: "SetMakeCall";
  /** Always present: the given `source`, else "makecall". */
  source: string;
  data: { toAddress: string };
}

/** The API Structure packet (docs.acqueon.com/docs/api-structure) around a message, keys in wire order. */
export interface Packet<M> {
  channel: string;
  topic: "";
  subTopic: "";
  message: M;
  /** The gadget frame's URL unless `responseUrl` was given. */
  ResponseUrl: string;
  /** The subscriber id from registration. */
  subscriberID: string;
}

/** The MakeCall request in any of its documented forms. */
export type MakeCallMessage =
  | FinesseMakeCallMessage
  | CiscoMakeCallMessage
  | Packet<FinesseMakeCallMessage | CiscoMakeCallMessage>;

/** Which documented wire form requests travel in. */
export type Envelope = "bare" | "packet";

/** How requests are addressed: shared by `buildMakeCall` and `createGadget`. */
export interface EnvelopeOptions {
  /** Defaults to "Finesse". "Cisco" sends the Cisco channel's SetMakeCall. */
  channel?: string;
  /** The app name sent as `source`; in the packet form and on the Cisco channel "makecall" when not given. */
  source?: string;
  /** "bare" (default, as the Make a Call page shows) or "packet" (the API Structure page's envelope). */
  envelope?: Envelope;
  /** The packet's `ResponseUrl`. Default: the page's own URL (required outside a browser page). */
  responseUrl?: string;
  /** The packet's `subscriberID`, if known without a `register` hook. */
  subscriberId?: string | number;
}

/** Options of `buildMakeCall`. */
export interface MakeCallOptions extends EnvelopeOptions {
  plan?: DialPlan;
}

/** Builds the MakeCall request; throws with the validation code for a bad number, NOT_REGISTERED for a packet without `subscriberId`. */
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
  /** The participant's `stateCause` ("BUSY", "BAD_DESTINATION", "OTHER", ...). */
  cause?: string;
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
  /** Why the call is in its state: the agent device's participant's `stateCause`, else a failed participant's, else the dialog's. */
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
  | (EnvelopeFields & { kind: "error"; errorType?: string; errorMessage?: string; detail?: string; status?: string })
  | (EnvelopeFields & { kind: "other" });

/** Parses any workspace message (JSON text or object). */
export function parseMessage(input: string | object): ParsedMessage;

/** Parses a state-change message into its call; throws NOT_A_STATE_CHANGE otherwise. */
export function parseStateChange(input: string | object): Call;

/**
 * Workspace text made safe to display: controls, line breaks, bidi controls and invisible characters become
 * visible stand-ins (`␀`, `␊`, `[U+202E]`); cut to `maxChars` (default 64, at most 10 000) with `…`.
 */
export function inertText(text: string, maxChars?: number): string;

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
  /** The latest state the workspace reported (a forgotten call keeps its own: see `forgottenAt`). */
  state: CallState;
  previousState?: CallState;
  direction: "outbound" | "inbound" | "unknown";
  toAddress?: string;
  dialedNumber?: string;
  cause?: string;
  /** ms since the epoch. */
  startedAt: number;
  /** When the call last accepted a state change from the workspace (ms since the epoch). */
  updatedAt: number;
  history: { state: CallState; at: number }[];
  /**
   * When `gadget.forgetCall` ended the tracking of this call locally (ms since the epoch), while its
   * state was still live: the workspace never reported its end. Such a call no longer counts as live.
   * Kept when its end arrives later; gone when the workspace reports it moving on while up (it is
   * live again). Absent for every other call.
   */
  forgottenAt?: number;
}

/** Tracks calls by id through their states. */
export class CallTracker {
  constructor(options?: { maxEndedCalls?: number });
  apply(eventOrMessage: string | object | Call): { change: Change; call: CallSnapshot };
  calls(): CallSnapshot[];
}

/** A pub/sub channel to the workspace (see also `TransportStatus` in transports). */
export interface Transport {
  publish(message: object): void;
  subscribe(handler: (message: unknown) => void): () => void;
  /** False while a dial's MakeCall cannot be sent; absent means always connected. */
  readonly connected?: boolean;
  /** Connection changes and refusals, for `createGadget`. */
  onStatus?(listener: (status: import("./transports.js").TransportStatus) => void): () => void;
}

/** Which agent states allow a dial. */
export type AgentStatePolicy = "ready" | "notReady" | "any";

/** What a `register` hook is given. */
export interface RegistrationContext {
  channel: string;
  /** The `source` the gadget's messages carry, if any. */
  source?: string;
  envelope: Envelope;
  /** The packet's `ResponseUrl`, if known. */
  responseUrl?: string;
  /** The gadget's transport, to publish a registration request and hear its answer. */
  transport: Transport;
}

/** The outcome of registration (`gadget.registration`). */
export type RegistrationResult =
  | { ok: true; subscriberId?: string }
  | { ok: false; code: "NOT_REGISTERED" | "CLOSED" | ErrorCode; message: string };

/** Options of `createGadget`. */
export interface GadgetOptions extends EnvelopeOptions {
  transport: Transport;
  plan?: DialPlan;
  /** Default "ready" (Acqueon's documented precondition). */
  agentStatePolicy?: AgentStatePolicy;
  /** Default 15000. */
  dialTimeoutMs?: number;
  /** Ended calls kept in memory; default 50. */
  maxEndedCalls?: number;
  /**
   * Site-specific registration (unverified: no public page says how it works). Called once after the gadget
   * subscribed; its answer is the subscriber id the packet form sends as `subscriberID`.
   */
  register?: (context: RegistrationContext) => string | number | PromiseLike<string | number>;
  /**
   * Allow a dial while the agent has a live call (sites that allow consult
   * calls). Default false: such a dial fails with CALL_IN_PROGRESS.
   */
  allowDialDuringCall?: boolean;
  /**
   * A site's choice, not workspace behaviour (no public source says how long a call may go without a
   * state change): after this many ms (1 to 86 400 000) with no accepted state change, a live call no
   * longer blocks a dial with CALL_IN_PROGRESS. The call itself is unchanged (still live in `calls()`,
   * and blocking again once a change for it arrives). Default: off, every live call blocks until it
   * ends or is forgotten (`forgetCall`).
   */
  liveCallLimitMs?: number | null;
}

/** What a successful dial resolves to. */
export interface PlacedCall {
  callId: string;
  state: CallState;
  dial: string;
}

/** Options of `gadget.dial`. */
export interface DialOptions {
  /** Aborts the dial (rejecting ABORTED); falsy values (`cond && controller.signal`) mean none. */
  signal?: AbortSignal | null | false | 0 | "";
}

/** The click-to-dial gadget. */
export interface Gadget {
  /**
   * Always returns a promise that settles exactly once. Options are read from own properties; a falsy
   * `signal` means none; anything else that is not an AbortSignal rejects with INVALID_OPTIONS.
   */
  dial(number: string | number, options?: DialOptions | null): Promise<PlacedCall>;
  /**
   * Every tracked call change. `dialled` is true for the call the latest dial produced, from the
   * report that settled the dial until the next dial starts (before `dial()`'s promise callbacks run).
   */
  on(event: "call", listener: (call: CallSnapshot, change: Change, dialled: boolean) => void): () => void;
  on(event: "agent", listener: (agent: Agent) => void): () => void;
  on(event: "error", listener: (error: MakecallError) => void): () => void;
  /** The transport connected (true) or lost its connection (false). */
  on(event: "connection", listener: (connected: boolean) => void): () => void;
  validate(number: string | number): Validation;
  /** Sends the channel's documented agent-state request (Cisco's GetAgentState) and returns true; false (nothing sent) on the Finesse channel. */
  requestAgentState(): boolean;
  /** Settles once the `register` hook answered (at once without one); never rejects. */
  readonly registration: Promise<RegistrationResult>;
  /** Why a dial would fail now; for CALL_IN_PROGRESS, `callId` is the live call's (see `forgetCall`). */
  canDial(): { ok: true } | { ok: false; code: DialErrorCode; message: string; callId?: string };
  /** Snapshots of the tracked calls, oldest first. */
  calls(): CallSnapshot[];
  /**
   * Ends the tracking of a live call locally, for a call whose end (dropped, failed, wrap-up) never
   * reached the gadget, so that it no longer blocks a dial with CALL_IN_PROGRESS; pass the `callId` that
   * error (or `canDial()`) gives. Returns the call's snapshot, with its last reported state and
   * `forgottenAt` set, or null when no live call has this id (unknown, evicted, ended, already
   * forgotten, longer than any call id, or the gadget is closed): then nothing changes. Emits no
   * "call" event. A later report of the call's end is recorded as usual (it keeps `forgottenAt`);
   * a later report that moves it on while up makes it live, and blocking, again. Throws
   * INVALID_INPUT (`path` "callId") when `callId` is not a string.
   */
  forgetCall(callId: string): CallSnapshot | null;
  readonly agent: Agent | null;
  readonly agentState: AgentStateName | null;
  readonly closed: boolean;
  /** Whether the transport is connected (true for transports without a connection state). */
  readonly connected: boolean;
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

/**
 * Writes a valid number as libphonenumber does; throws a MakecallError with
 * the validation code when the plan refuses the number.
 */
export function formatNumber(input: string | number, style: "national" | "international" | "e164", plan?: DialPlan): string;

/**
 * Formats a number as it is typed, as libphonenumber-js's `AsYouType` does:
 * each `input` adds the text typed since the last call and returns the whole
 * number so far, formatted (`"2"`, `"21"`, `"(213)"`, `"(213) 3"`, …).
 * Throws `INVALID_INPUT` for an unknown country and `COUNTRY_NOT_LOADED`
 * for one whose data `loadCountries` has not loaded.
 */
export class AsYouType {
  /** National numbers are read with `country`'s rules; without it only `+` numbers are formatted. */
  constructor(country?: string);
  /** Adds typed text (digits, punctuation, a leading `+`); returns the number so far, formatted. */
  input(text: string): string;
  /** Forgets what was typed. */
  reset(): this;
}
