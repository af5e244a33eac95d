// Test fake of the container side of a Shindig page (the OpenAjax
// ManagedHub a gadget's IframeHubClient talks to) with a minimal workspace
// on the hub. Written from the documented behaviour
// (Shindig pubsub-2 and the OpenAjax Hub 2.0, github.com/apache/shindig), not from Shindig's code. The page's
// query sets what the sources leave open or what a test needs:
//   handshakeMs     how late the connect handshake completes (0, 50, 200, 1000, 1500)
//   refuseSubscribe the security manager refuses every subscription (onComplete false)
//   refusePublish   ... every publish (the publisher gets no signal)
//   duplicate       every event reaches the gadget twice
//   keepOnReload    a reloaded frame's old subscription stays alive: events arrive twice
//   requests/events the topics the workspace listens and answers on
//   stepMs          time between the call's state changes
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var cfg = {
    handshakeMs: Number(q.get("handshakeMs") || 0),
    refuseSubscribe: q.has("refuseSubscribe"),
    refusePublish: q.has("refusePublish"),
    duplicate: q.has("duplicate"),
    keepOnReload: q.has("keepOnReload"),
    requests: q.get("requests") || "makecall.requests",
    events: q.get("events") || "makecall.events",
    stepMs: Number(q.get("stepMs") || 20),
  };
  var frame = document.getElementById("gadget");
  var gadgetOrigin = new URL(frame.src).origin;
  var subs = {}; // sid -> topic
  var connectedOnce = false;
  var callSeq = 16930170;
  var log = (window.__shindig = {
    config: cfg,
    connects: 0,
    makeCalls: [],
    refusedPublishes: 0,
    delivered: 0,
    started: performance.now(),
    subscriptionCount: function () {
      return Object.keys(subs).length;
    },
    /** The container drops the client (it must connect again). */
    drop: function () {
      subs = {};
      send({ type: "dropped" });
    },
  });

  function send(m) {
    m.oa = 1;
    frame.contentWindow.postMessage(m, gadgetOrigin);
  }

  function toGadget(topic, data) {
    var copies = cfg.duplicate ? 2 : 1;
    for (var sid in subs) {
      if (subs[sid] !== topic) continue;
      for (var i = 0; i < copies; i++) {
        log.delivered += 1;
        send({ type: "data", sid: sid, topic: topic, data: data });
      }
    }
  }

  function stateChange(id, number, state) {
    return {
      channel: "Finesse", topic: "Outbound", subtopic: "OutboundCallStateChange",
      message: { source: "event", call: { id: String(id), event: state, CallType: "OB_OUT",
        ResponseActual: { id: String(id), state: state, toAddress: number, mediaProperties: { dialedNumber: number } } } },
    };
  }

  function workspace(data) {
    if (!data || typeof data !== "object") return;
    if (data.subtopic === "GetAgentState") {
      toGadget(cfg.events, { channel: "Cisco", topic: "Agent", subtopic: "AgentStateChange", message: { state: "READY", extension: "1001001" } });
    } else if (data.subtopic === "MakeCall") {
      var id = ++callSeq;
      var number = String(data.data);
      log.makeCalls.push({ at: performance.now() - log.started, number: number });
      ["INITIATING", "INITIATED", "ALERTING", "ACTIVE"].forEach(function (state, i) {
        setTimeout(function () {
          toGadget(cfg.events, stateChange(id, number, state));
        }, cfg.stepMs * (i + 1));
      });
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== gadgetOrigin || event.source !== frame.contentWindow) return;
    var m = event.data;
    if (!m || m.oa !== 1) return;
    if (m.type === "connect") {
      log.connects += 1;
      if (connectedOnce && cfg.keepOnReload) cfg.duplicate = true;
      else subs = {};
      connectedOnce = true;
      setTimeout(function () {
        send({ type: "connected" });
      }, cfg.handshakeMs);
    } else if (m.type === "disconnect") {
      subs = {};
    } else if (m.type === "subscribe") {
      setTimeout(function () {
        if (cfg.refuseSubscribe) {
          send({ type: "subscribed", sid: m.sid, success: false, error: "OpenAjax.hub.Error.NotAllowed" });
          return;
        }
        subs[m.sid] = m.topic;
        send({ type: "subscribed", sid: m.sid, success: true });
      }, 0);
    } else if (m.type === "unsubscribe") {
      delete subs[m.sid];
    } else if (m.type === "publish") {
      if (cfg.refusePublish) {
        log.refusedPublishes += 1;
        return;
      }
      if (m.topic === cfg.requests) workspace(m.data);
    }
  });
})();
