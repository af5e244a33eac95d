// Test fake of what a Shindig-rendered gadget page gets from the container's
// feature scripts: gadgets.util's onload handlers, gadgets.Prefs (UserPrefs
// from the up_* URL parameters) and pubsub-2's OpenAjax IframeHubClient.
// Written from the documented behaviour (Shindig pubsub-2 and the OpenAjax Hub 2.0, github.com/apache/shindig;
// the OpenAjax Hub 2.0 API), not from Shindig's code:
// - the pubsub-2 onload handler creates gadgets.Hub and calls
//   gadgets.Hub.connect(gadgets.HubSettings.onConnect), reading onConnect at
//   that moment; the renderer runs it as the last inline script of <body>;
// - connect completes asynchronously (a postMessage handshake with the
//   container: how late is the container's setting, handshakeMs);
// - subscribe/publish/unsubscribe/disconnect throw while not connected;
//   subscribe reports a refusal only through onComplete(sid, false, error);
// - data crosses as JSON (gadgets.rpc): a Date becomes a string, undefined is dropped.
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var parentOrigin = params.get("parent");
  var handlers = [];
  var gadgets = (window.gadgets = window.gadgets || {});
  gadgets.util = {
    registerOnLoadHandler: function (fn) {
      handlers.push(fn);
    },
    runOnLoadHandlers: function () {
      for (var i = 0; i < handlers.length; i++) handlers[i]();
    },
  };
  gadgets.Prefs = function () {};
  gadgets.Prefs.prototype.getString = function (name) {
    var value = params.get("up_" + name);
    return value === null ? "" : value;
  };
  gadgets.Prefs.prototype.set = function () {};
  gadgets.HubSettings = { params: {} };

  function IframeHubClient() {
    this._state = "disconnected";
    this._subs = {};
    this._next = 1;
    this._connect = null;
    var self = this;
    window.addEventListener("message", function (event) {
      if (event.source !== window.parent || event.origin !== parentOrigin) return;
      var m = event.data;
      if (!m || m.oa !== 1) return;
      self._receive(m);
    });
  }
  IframeHubClient.prototype._post = function (m) {
    m.oa = 1;
    window.parent.postMessage(m, parentOrigin);
  };
  IframeHubClient.prototype._assertConn = function () {
    if (this._state !== "connected") throw new Error("OpenAjax.hub.Error.Disconnected");
  };
  IframeHubClient.prototype._receive = function (m) {
    if (m.type === "connected" && this._state === "connecting") {
      this._state = "connected";
      var c = this._connect;
      this._connect = null;
      if (c && typeof c.onComplete === "function") c.onComplete.call(c.scope || window, this, true);
    } else if (m.type === "dropped") {
      // The container removed this client.
      this._state = "disconnected";
      this._subs = {};
    } else if (m.type === "subscribed") {
      var sub = this._subs[m.sid];
      if (!sub) return;
      if (!m.success) delete this._subs[m.sid];
      if (typeof sub.onComplete === "function") sub.onComplete.call(sub.scope || window, m.sid, m.success, m.error);
    } else if (m.type === "data" && this._state === "connected") {
      var target = this._subs[m.sid];
      if (target) target.onData.call(target.scope || window, m.topic, m.data, target.subscriberData);
    }
  };
  IframeHubClient.prototype.isConnected = function () {
    return this._state === "connected";
  };
  IframeHubClient.prototype.connect = function (onComplete, scope) {
    if (this._state !== "disconnected") throw new Error("OpenAjax.hub.Error.Duplicate");
    this._state = "connecting";
    this._connect = { onComplete: onComplete, scope: scope };
    this._post({ type: "connect" });
  };
  IframeHubClient.prototype.disconnect = function (onComplete, scope) {
    this._assertConn();
    this._state = "disconnected";
    this._subs = {};
    this._post({ type: "disconnect" });
    var self = this;
    setTimeout(function () {
      if (typeof onComplete === "function") onComplete.call(scope || window, self, true);
    }, 0);
  };
  IframeHubClient.prototype.subscribe = function (topic, onData, scope, onComplete, subscriberData) {
    this._assertConn();
    if (!onData) throw new Error("OpenAjax.hub.Error.BadParameters");
    var sid = String(this._next++);
    this._subs[sid] = { onData: onData, scope: scope, onComplete: onComplete, subscriberData: subscriberData };
    this._post({ type: "subscribe", sid: sid, topic: topic });
    return sid;
  };
  IframeHubClient.prototype.unsubscribe = function (sid) {
    this._assertConn();
    delete this._subs[sid];
    this._post({ type: "unsubscribe", sid: sid });
  };
  IframeHubClient.prototype.publish = function (topic, data) {
    this._assertConn();
    this._post({ type: "publish", topic: topic, data: JSON.parse(JSON.stringify(data === undefined ? null : data)) });
  };

  window.OpenAjax = { hub: { IframeHubClient: IframeHubClient } };
  gadgets.util.registerOnLoadHandler(function () {
    gadgets.Hub = new IframeHubClient(gadgets.HubSettings.params);
    gadgets.Hub.connect(gadgets.HubSettings.onConnect);
  });
})();
