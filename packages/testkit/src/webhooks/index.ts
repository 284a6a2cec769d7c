export { signWebhook } from "./sign-webhook.js";
export { webhookEventNames, webhookExample, webhookExamples } from "./webhook-examples.js";
export { sendWebhook, type WebhookRequest, type WebhookRequestOptions, webhookRequest } from "./webhook-request.js";
