// Shared helpers for the Node tests that drive a gadget through the public
// API: timing, a transport the test drives, and a state-change report.

/** Resolves after `ms` (a macrotask, so pending timers and microtasks run first). */
export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `condition()` holds (polling), so the tests do not depend on
 * how busy the machine is; fails after `ms`.
 */
export async function waitFor(condition, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
    await tick(5);
  }
}

/** A transport the test drives: records publishes, delivers on demand, can be told to throw (`failNext`). */
export function manualTransport() {
  const handlers = new Set();
  const transport = {
    published: [],
    failNext: 0,
    publish(message) {
      if (transport.failNext > 0) {
        transport.failNext -= 1;
        throw new Error("hub is down");
      }
      transport.published.push(message);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    deliver(message) {
      for (const handler of [...handlers]) handler(message);
    },
  };
  return transport;
}

/** A state change of an agent-dialled outbound call, in the seed sample's shape. */
export function report(id, state, toAddress, callType = "OB_OUT") {
  return {
    channel: "Finesse",
    topic: "outbound",
    subtopic: "OutBoundCallStateChange",
    message: {
      source: "event",
      call: {
        id: String(id),
        event: state,
        CallType: callType,
        ResponseActual: { id: String(id), state, toAddress, stateCause: state === "FAILED" ? "BUSY" : "" },
      },
    },
  };
}
