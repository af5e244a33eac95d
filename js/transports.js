export function postMessageTransport(){} export function openAjaxTransport(){} export function hubTransport(){} export function whenHubConnected(){}
