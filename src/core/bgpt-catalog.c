/* bgpt-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-catalog"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-catalog.h"

#define URI_OPENAI_STATUS    "https://status.openai.com"
#define URI_OPENAI_KEYS      "https://platform.openai.com/api-keys"
#define URI_OPENAI_USAGE     "https://platform.openai.com/usage"
#define URI_OPENAI_BILLING   "https://platform.openai.com/settings/organization/billing/overview"
#define URI_OPENAI_LIMITS    "https://platform.openai.com/settings/organization/limits"
#define URI_OPENAI_HELP      "https://help.openai.com"
#define URI_OPENAI_MIGRATION "https://developers.openai.com/api/docs/assistants/migration"
#define URI_OPENAI_DEPRECATIONS "https://developers.openai.com/api/docs/deprecations"
/* Settings → Security → IP allowlist of the organization; the guide names
 * the menu path, this address is the platform's pattern for it. */
#define URI_OPENAI_SECURITY  "https://platform.openai.com/settings/organization/security"
#define URI_OPENAI_ALLOWLIST_GUIDE "https://developers.openai.com/api/docs/guides/ip-allowlist"
/* Where an organization owner creates admin keys (docs/providers.md). */
#define URI_OPENAI_ADMIN_KEYS "https://platform.openai.com/settings/organization/admin-keys"
#define URI_KOMMO_DOCS       "https://developers.kommo.com"
#define URI_KOMMO_LONG_LIVED_TOKEN "https://developers.kommo.com/docs/long-lived-token"

/* Short names for the flags column. */
#define PROVIDER    BGPT_CATALOG_FLAGS_ABOUT_PROVIDER
#define STATUS_PAGE BGPT_CATALOG_FLAGS_STATUS_PAGE
#define SLOW_DOWN   BGPT_CATALOG_FLAGS_SLOW_DOWN
#define PASSES      BGPT_CATALOG_FLAGS_PASSES
#define VERDICT     BGPT_CATALOG_FLAGS_VERDICT

#define ACTION_CHECK_NOW       "app.check-now"
#define ACTION_EDIT_OPENAI_KEY "app.edit-secret::openai-api-key"
#define ACTION_EDIT_KOMMO_KEY  "app.edit-secret::kommo-token"
#define ACTION_EDIT_SPENDING   "app.edit-spending"
#define ACTION_EDIT_ACCOUNT    "app.edit-account"
#define ACTION_COPY_DETAILS    "app.copy-details"

/* The application installs exactly these actions; remediations name no other. */
/* The budget's remedies besides billing: the limits, and the budget itself. */
#define STEP_BUDGET_LIMITS(text) { text, N_("Open Limits"), URI_OPENAI_LIMITS }
#define STEP_BUDGET_SETTINGS     { N_("If the budget itself is out of date, change it in this account’s settings."), \
                                   N_("Edit Budget"), ACTION_EDIT_SPENDING }

static const char * const action_names[] = {
  "app.check-now",
  "app.edit-secret",
  "app.edit-account",
  "app.copy-details",
  "app.edit-spending",
  NULL
};

static const BgptCatalogEntry entries[] = {
  {
    BGPT_DIAGNOSIS_OPENAI_TIMEOUT, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL, PROVIDER | STATUS_PAGE,
    N_("OpenAI time limit reached: OpenAI is responding slowly"),
    N_("OpenAI did not send a complete answer within the time limit, or said "
       "its servers are overloaded. This comes from slowness or overload on "
       "OpenAI’s servers, not from ByteGPT, and usually passes on its own."),
    {
      { N_("Wait a little: the slowness is often temporary. Then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("See whether OpenAI reports an incident or maintenance on its status page."),
        N_("OpenAI Status"), URI_OPENAI_STATUS },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_AUTH, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL, 0,
    N_("OpenAI API Authentication Failed"),
    N_("OpenAI rejected the API key. It may be mistyped, revoked or deleted, "
       "a restricted key without the permission this check needs, or a key "
       "of another organization or project."),
    {
      { N_("Check that the API key saved for this account is complete and still valid."),
        N_("Edit API Key"), ACTION_EDIT_OPENAI_KEY },
      { N_("If the key may have leaked or no longer works, create a new one on the OpenAI platform and save it here."),
        N_("Create API Key"), URI_OPENAI_KEYS },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_ASSISTANT, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL, 0,
    N_("Invalid OpenAI Assistant ID"),
    N_("The configured assistant ID is not valid: it is not written like an "
       "assistant ID, or OpenAI refused the request for it. OpenAI shut down "
       "the whole Assistants API on 2026-08-26, so ByteGPT has to answer with "
       "a model through the Responses API instead."),
    {
      { N_("Compare the assistant ID in the account settings with the one OpenAI shows, character by character."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("Read OpenAI’s guide to moving from the Assistants API to the Responses API."),
        N_("Migration Guide"), URI_OPENAI_MIGRATION },
      { N_("After correcting the settings, check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_QUOTA, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL, 0,
    N_("OpenAI Quota Exceeded"),
    N_("OpenAI refused the request because the organization or project used "
       "up its quota: the credit balance ran out or a spend or usage limit "
       "was reached. Retrying does not help until credit is added or the "
       "limit is raised."),
    {
      { N_("Look at the current usage of your OpenAI account."),
        N_("Open Usage"), URI_OPENAI_USAGE },
      { N_("Add credits in the billing settings, and turn on auto recharge so the balance does not run out again."),
        N_("Open Billing"), URI_OPENAI_BILLING },
      { N_("Raise the spend limit of the organization or project if it is too low."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      { N_("After adding credit or raising the limit, check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_CONNECTION, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL, STATUS_PAGE,
    N_("OpenAI Connection Error"),
    N_("This computer could not reach OpenAI: the name did not resolve, the "
       "connection was refused or dropped, a proxy failed, or the secure "
       "connection could not be verified. This is usually a network or "
       "firewall problem."),
    {
      { N_("Make sure the internet connection is working and stable, then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("Make sure no firewall, proxy or antivirus blocks the connection to OpenAI; copy the technical details for whoever manages the network."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
      { N_("Check the OpenAI address in the account settings if you changed it."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_UNEXPECTED, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL, PROVIDER | STATUS_PAGE,
    N_("Unexpected Response from OpenAI"),
    N_("OpenAI answered with a server error or with something ByteGPT does "
       "not expect: a redirect, a web page instead of data, or a response "
       "that is too large. It is often a temporary failure at OpenAI."),
    {
      { N_("Wait a few moments and check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("See whether OpenAI reports an incident on its status page."),
        N_("OpenAI Status"), URI_OPENAI_STATUS },
      { N_("If it persists, copy the technical details to send to OpenAI support."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
      { N_("Contact OpenAI support through its help center."),
        N_("OpenAI Help"), URI_OPENAI_HELP },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_WARNING, SLOW_DOWN,
    N_("OpenAI Rate Limit Reached"),
    N_("Too many requests or tokens were sent to OpenAI in a short time for "
       "the rate limits of this organization. Requests work again after a "
       "pause; OpenAI says how long to wait."),
    {
      { N_("Wait as long as OpenAI asks, then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("See the rate limits of your organization and project."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      { N_("See which usage consumes the limit, such as other tools sharing this key."),
        N_("Open Usage"), URI_OPENAI_USAGE },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_FORBIDDEN, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL, 0,
    N_("OpenAI Access Denied"),
    N_("OpenAI refused the request for this key: the country or region is "
       "not supported, the project has no access to the model, or the "
       "project’s IP allowlist does not include this computer."),
    {
      { N_("Check the project’s model access and allowed IP addresses in the OpenAI limits settings."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      { N_("Check which model the account uses."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("If the region is not supported, ask OpenAI support."),
        N_("OpenAI Help"), URI_OPENAI_HELP },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_MODEL, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL, 0,
    N_("OpenAI Model Not Available"),
    N_("The configured model does not exist or the project of this key has "
       "no access to it. The name may be mistyped or the model retired."),
    {
      { N_("Check the model name in the account settings."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("See which models the project may use."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      { N_("After correcting the model, check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_MODEL_RETIRING, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_WARNING, 0,
    N_("OpenAI Model Retiring Soon"),
    N_("OpenAI has scheduled the configured model to leave the API on the date "
       "shown below. From that day on, every request ByteGPT makes with it "
       "will fail. It still works until then: there is time to move ByteGPT "
       "to a newer model."),
    {
      { N_("See the shutdown date and the model OpenAI recommends instead on its deprecations page."),
        N_("Deprecations"), URI_OPENAI_DEPRECATIONS },
      { N_("Set ByteGPT to answer with the newer model, then enter that model in this account’s settings."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("After changing the model, check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
    },
  },
  {
    /* A warning about the projection; its reason "spent" is critical. */
    BGPT_DIAGNOSIS_OPENAI_BUDGET, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_WARNING, VERDICT,
    N_("OpenAI Budget Running Out"),
    N_("At the pace of the last seven days, the OpenAI spend of this month "
       "will pass the warning share of this account’s monthly budget. The "
       "figures and the day the budget runs out are below. When the credit or "
       "the spend limit runs out, OpenAI refuses every request and ByteGPT "
       "stops answering customers."),
    {
      { N_("Add credits in the billing settings, or turn on auto recharge, before the balance runs out."),
        N_("Open Billing"), URI_OPENAI_BILLING },
      STEP_BUDGET_LIMITS (N_("Check the spend limits of the organization and its projects, and raise them if ByteGPT needs more.")),
      STEP_BUDGET_SETTINGS,
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT_NEAR, BGPT_SERVICE_OPENAI, BGPT_SEVERITY_WARNING, PASSES,
    N_("OpenAI Rate Limit Almost Reached"),
    N_("Less than a tenth of the organization’s OpenAI rate limit is left, "
       "counted in requests or in tokens. ByteGPT shares this limit with "
       "everything else that uses the organization’s keys, so its own "
       "traffic is probably high. Everything still works; once the limit is "
       "used up, OpenAI refuses requests until it resets, and ByteGPT stops "
       "answering for that time."),
    {
      { N_("See the organization’s rate limits, and raise them or move to a higher usage tier if ByteGPT needs more."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      { N_("See which usage consumes the limit, such as other tools sharing this organization."),
        N_("Open Usage"), URI_OPENAI_USAGE },
      { N_("Check again later: the warning goes away by itself once more than a tenth is left."),
        N_("Check Again"), ACTION_CHECK_NOW },
    },
  },
  {
    BGPT_DIAGNOSIS_KOMMO_TIMEOUT, BGPT_SERVICE_KOMMO, BGPT_SEVERITY_CRITICAL, PROVIDER,
    N_("Kommo Time Limit Reached"),
    N_("Kommo did not send a complete answer within the time limit. Kommo "
       "may be slow at the moment, or the request was too large for it."),
    {
      { N_("Wait a little and check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("If it keeps happening, copy the technical details to send to Kommo support."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
    },
  },
  {
    BGPT_DIAGNOSIS_KOMMO_AUTH, BGPT_SERVICE_KOMMO, BGPT_SEVERITY_CRITICAL, 0,
    N_("Kommo Authentication Failed"),
    N_("Kommo rejected the access token: it is mistyped, expired or was "
       "revoked. A long-lived token lasts from one day to five years, as "
       "chosen when it was created."),
    {
      { N_("Check that the token saved for this account is complete."),
        N_("Edit Token"), ACTION_EDIT_KOMMO_KEY },
      { N_("Create a new long-lived token in Kommo under Settings → Integrations → the private integration → Keys and scopes, and save it here."),
        N_("Long-Lived Tokens"), URI_KOMMO_LONG_LIVED_TOKEN },
      { N_("After saving the new token, check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
    },
  },
  {
    BGPT_DIAGNOSIS_KOMMO_PAYMENT, BGPT_SERVICE_KOMMO, BGPT_SEVERITY_CRITICAL, 0,
    N_("Kommo Payment Required"),
    N_("Kommo refuses API requests because the paid or trial period of the "
       "account has ended."),
    {
      { N_("Ask an administrator of the Kommo account to renew the subscription; copy the technical details for them."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
      { N_("After the renewal, check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
    },
  },
  {
    BGPT_DIAGNOSIS_KOMMO_FORBIDDEN, BGPT_SERVICE_KOMMO, BGPT_SEVERITY_CRITICAL, 0,
    N_("Kommo Access Denied"),
    N_("Kommo refused the request. Kommo blocks an IP address after repeated "
       "rate limit errors (more than 7 requests per second); an IP allowlist "
       "or the scopes of the integration can also forbid access."),
    {
      { N_("Stop other tools that call Kommo from this network, wait a while, then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("Check the scopes of the private integration in Kommo under Settings → Integrations → Keys and scopes."),
        N_("Kommo Documentation"), URI_KOMMO_DOCS },
      { N_("If the address stays blocked, copy the technical details to send to Kommo support."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
    },
  },
  {
    BGPT_DIAGNOSIS_KOMMO_NOT_FOUND, BGPT_SERVICE_KOMMO, BGPT_SEVERITY_CRITICAL, 0,
    N_("Kommo Account Not Found"),
    N_("Kommo answered “not found”, or sent the request to its main site. For "
       "the account check this almost always means the account address is "
       "wrong: no Kommo account has this subdomain."),
    {
      { N_("Check the Kommo address in the account settings: paste the address you open Kommo with, like mycompany.kommo.com or mycompany.amocrm.ru."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("After correcting the subdomain, check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
    },
  },
  {
    BGPT_DIAGNOSIS_KOMMO_RATE_LIMIT, BGPT_SERVICE_KOMMO, BGPT_SEVERITY_WARNING, SLOW_DOWN,
    N_("Kommo Rate Limit Reached"),
    N_("More than 7 requests per second were sent to Kommo, which asks to "
       "slow down. If it keeps happening, Kommo blocks the IP address."),
    {
      { N_("Wait as long as Kommo asks, then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("Read Kommo’s limits for integrations and make other tools send fewer requests."),
        N_("Kommo Documentation"), URI_KOMMO_DOCS },
    },
  },
  {
    BGPT_DIAGNOSIS_KOMMO_CONNECTION, BGPT_SERVICE_KOMMO, BGPT_SEVERITY_CRITICAL, 0,
    N_("Kommo Connection Error"),
    N_("This computer could not reach Kommo: the name did not resolve, the "
       "connection was refused or dropped, a proxy failed, or the secure "
       "connection could not be verified."),
    {
      { N_("Make sure the internet connection is working and stable, then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("Check the Kommo subdomain and address in the account settings."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("Make sure no firewall, proxy or antivirus blocks the connection to Kommo; copy the technical details for whoever manages the network."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
    },
  },
  {
    BGPT_DIAGNOSIS_KOMMO_UNEXPECTED, BGPT_SERVICE_KOMMO, BGPT_SEVERITY_CRITICAL, PROVIDER,
    N_("Unexpected Response from Kommo"),
    N_("Kommo answered with an internal error or with something ByteGPT does "
       "not expect: a redirect, a web page instead of data, or a response "
       "that is too large."),
    {
      { N_("Wait a few moments and check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("If it persists, copy the technical details, including any trace ID, to send to Kommo support."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
      { N_("See Kommo’s developer documentation."),
        N_("Kommo Documentation"), URI_KOMMO_DOCS },
    },
  },
  {
    BGPT_DIAGNOSIS_CONFIG_INVALID, BGPT_SERVICE_APP, BGPT_SEVERITY_UNKNOWN, 0,
    N_("Invalid Settings"),
    N_("A setting was rejected before any request was sent: for example a "
       "subdomain that is not a valid name, a key or token with spaces or "
       "control characters, or a remote address that does not use HTTPS."),
    {
      { N_("Correct the account settings."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("Paste the OpenAI API key again, without spaces or line breaks."),
        N_("Edit API Key"), ACTION_EDIT_OPENAI_KEY },
      { N_("Paste the Kommo token again, without spaces or line breaks."),
        N_("Edit Token"), ACTION_EDIT_KOMMO_KEY },
    },
  },
  {
    BGPT_DIAGNOSIS_KEYRING_UNAVAILABLE, BGPT_SERVICE_APP, BGPT_SEVERITY_UNKNOWN, 0,
    N_("Keyring Unavailable"),
    N_("The keys and tokens are kept in the system keyring, which could not "
       "be used: no Secret Service is running, the keyring is locked, or the "
       "unlock prompt was dismissed. They are never stored in plain text "
       "instead."),
    {
      { N_("Unlock the keyring, for example by logging in again, then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("If there is no keyring on this system, copy the technical details for whoever manages it."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
    },
  },
};

/* Sources for the reasons: docs/providers.md. */
#define STEP_CHECK_AGAIN(text) { text, N_("Check Again"), ACTION_CHECK_NOW }
#define STEP_OPEN_USAGE        { N_("See what used the credit or the limit, such as other tools sharing this key."), \
                                 N_("Open Usage"), URI_OPENAI_USAGE }

static const BgptCatalogReason reasons[] = {
  {
    BGPT_DIAGNOSIS_OPENAI_AUTH, "admin_key_required",
    N_("OpenAI refused to show the organization’s costs to this key. Costs "
       "can only be read with an admin key (it starts with “sk-admin-”), "
       "created by an owner of the organization; a project key, or an admin "
       "key that was deleted, does not work."),
    {
      { N_("Ask an owner of the OpenAI organization to create an admin key on the admin keys page."),
        N_("Open Admin Keys"), URI_OPENAI_ADMIN_KEYS },
      { N_("Save the admin key for this account: it is tested before it is kept."),
        N_("Edit Admin Key"), ACTION_EDIT_SPENDING },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_BUDGET, "spent",
    N_("The OpenAI spend of this month has already passed this account’s "
       "monthly budget. If the prepaid credit or a spend limit runs out, "
       "OpenAI refuses every request and ByteGPT stops answering customers "
       "until someone adds credit or raises the limit."),
    {
      { N_("Add credits in the billing settings now, and turn on auto recharge."),
        N_("Open Billing"), URI_OPENAI_BILLING },
      STEP_BUDGET_LIMITS (N_("Raise the spend limit of the organization or project if ByteGPT must keep answering.")),
      STEP_BUDGET_SETTINGS,
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_AUTH, "invalid_api_key",
    N_("OpenAI does not recognise this API key: it is mistyped or incomplete, "
       "or it was revoked or deleted."),
    {
      { N_("Check that the API key saved for this account is complete and still valid."),
        N_("Edit API Key"), ACTION_EDIT_OPENAI_KEY },
      { N_("If the key may have leaked or no longer works, create a new one on the OpenAI platform and save it here."),
        N_("Create API Key"), URI_OPENAI_KEYS },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_AUTH, "missing_scopes",
    N_("The key is valid, but it is a restricted key without a permission this "
       "check needs; OpenAI names it in its message below. The key may still "
       "work for ByteGPT. A new key is not needed: give this key the missing "
       "permission."),
    {
      { N_("On the OpenAI API keys page, edit this key’s permissions and allow what OpenAI says is missing (for the key check, “Models: Read”)."),
        N_("Open API Keys"), URI_OPENAI_KEYS },
      STEP_CHECK_AGAIN (N_("After saving the permissions, check again.")),
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_AUTH, "ip_not_authorized",
    N_("The OpenAI organization or project accepts API requests only from the "
       "IP addresses on its allowlist. The check runs from this computer, so "
       "the address OpenAI refused is this computer’s public IP address, not "
       "the address of ByteGPT’s servers."),
    {
      { N_("Add this computer’s public IP address to the IP allowlist in the organization’s security settings, or run the check from a network that is on the list."),
        N_("Open Security Settings"), URI_OPENAI_SECURITY },
      { N_("Read how the allowlist works: a project’s own list replaces the organization’s."),
        N_("IP Allowlist Guide"), URI_OPENAI_ALLOWLIST_GUIDE },
      STEP_CHECK_AGAIN (N_("A change can take up to 15 minutes to apply; then check again.")),
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_AUTH, "account_deactivated",
    N_("OpenAI deactivated the account this API key belongs to. A new key will "
       "not help: only OpenAI support can tell why and reactivate the account."),
    {
      { N_("Contact OpenAI support through its help center."),
        N_("OpenAI Help"), URI_OPENAI_HELP },
      { N_("Copy the technical details, with the request ID, to send to OpenAI support."),
        N_("Copy Details"), ACTION_COPY_DETAILS },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_AUTH, "organization",
    N_("OpenAI says the key’s user is not in an organization, or that the "
       "organization sent with the request is not the key’s. This happens when "
       "someone was removed from the organization or project, or the "
       "organization was deleted."),
    {
      { N_("Ask an owner of the OpenAI organization to add you again, then create a key in the right organization and project."),
        N_("Create API Key"), URI_OPENAI_KEYS },
      { N_("Save the new key for this account."),
        N_("Edit API Key"), ACTION_EDIT_OPENAI_KEY },
      { N_("If you no longer have an organization, ask OpenAI support for one."),
        N_("OpenAI Help"), URI_OPENAI_HELP },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_QUOTA, "insufficient_quota",
    N_("The OpenAI organization ran out of prepaid credit or reached its "
       "monthly spend limit. Retrying does not help until credit is added or "
       "the limit is raised."),
    {
      { N_("Add credits in the billing settings, and turn on auto recharge so the balance does not run out again."),
        N_("Open Billing"), URI_OPENAI_BILLING },
      { N_("If credit is left, raise the spend limit of the organization or project."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      STEP_OPEN_USAGE,
      STEP_CHECK_AGAIN (N_("After adding credit or raising the limit, check again.")),
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_QUOTA, "credit_balance_exhausted",
    N_("The prepaid credit balance of the OpenAI organization is used up. "
       "Retrying does not help until credit is added."),
    {
      { N_("Add credits in the billing settings, and turn on auto recharge so the balance does not run out again."),
        N_("Open Billing"), URI_OPENAI_BILLING },
      STEP_OPEN_USAGE,
      STEP_CHECK_AGAIN (N_("After adding credit, check again.")),
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_QUOTA, "billing_not_active",
    N_("OpenAI says billing is not active for this account: there is no valid "
       "payment method, or no credit was ever bought. Retrying does not help."),
    {
      { N_("Add a valid payment method and buy credits in the billing settings."),
        N_("Open Billing"), URI_OPENAI_BILLING },
      STEP_CHECK_AGAIN (N_("After setting up billing, check again.")),
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_QUOTA, "organization_spend_limit_exceeded",
    N_("The OpenAI organization reached the spend limit set for it. Retrying "
       "does not help until the limit is raised or the next month begins."),
    {
      { N_("Raise the organization’s spend limit in the limits settings."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      STEP_OPEN_USAGE,
      STEP_CHECK_AGAIN (N_("After raising the limit, check again.")),
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_QUOTA, "project_spend_limit_exceeded",
    N_("The OpenAI project of this key reached the spend limit set for it. "
       "Retrying does not help until the limit is raised or the next month "
       "begins."),
    {
      { N_("Raise the project’s spend limit in the limits settings of that project."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      STEP_OPEN_USAGE,
      STEP_CHECK_AGAIN (N_("After raising the limit, check again.")),
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_QUOTA, "organization_usage_limit_exceeded",
    N_("The OpenAI organization reached the usage limit of its usage tier. "
       "Retrying does not help until the limit is raised or the next month "
       "begins."),
    {
      { N_("See the organization’s usage limit and tier in the limits settings, and raise the limit if you can."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
      STEP_OPEN_USAGE,
      STEP_CHECK_AGAIN (N_("After raising the limit, check again.")),
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT, "slow_down",
    N_("OpenAI asks to slow down because the traffic of this organization grew "
       "too fast, even if it is still within its rate limits. It is not "
       "OpenAI being slow: it passes when the traffic grows more gradually."),
    {
      { N_("Wait as long as OpenAI asks, then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("Make other tools that share this key raise their traffic more gradually."),
        N_("Open Usage"), URI_OPENAI_USAGE },
      { N_("See the rate limits of your organization and project."),
        N_("Open Limits"), URI_OPENAI_LIMITS },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_TIMEOUT, "server_is_overloaded",
    N_("OpenAI answered that its servers are overloaded at the moment. This is "
       "on OpenAI’s side, not ByteGPT’s, and usually passes on its own."),
    {
      { N_("Wait a little: the slowness is often temporary. Then check again."),
        N_("Check Again"), ACTION_CHECK_NOW },
      { N_("See whether OpenAI reports an incident or maintenance on its status page."),
        N_("OpenAI Status"), URI_OPENAI_STATUS },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_ASSISTANT, "assistants_api_shut_down",
    N_("The ID is not mistyped: OpenAI switched off the whole Assistants API on "
       "2026-08-26, so no assistant ID works any more. ByteGPT has to be set to "
       "answer with a model through the Responses API. Reusable prompts are no "
       "way out: OpenAI scheduled them to shut down as well."),
    {
      { N_("Set ByteGPT to answer with a model instead of the assistant, then remove the assistant ID from this account’s settings and enter that model."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("Read OpenAI’s guide to moving from the Assistants API to the Responses API."),
        N_("Migration Guide"), URI_OPENAI_MIGRATION },
      { N_("See which APIs and models OpenAI has shut down or will shut down."),
        N_("Deprecations"), URI_OPENAI_DEPRECATIONS },
    },
  },
  {
    BGPT_DIAGNOSIS_OPENAI_ASSISTANT, "not_found",
    N_("OpenAI found no assistant with this ID for this key: it may be "
       "mistyped, deleted, or belong to another project."),
    {
      { N_("Compare the assistant ID in the account settings with the one OpenAI shows, character by character."),
        N_("Edit Account"), ACTION_EDIT_ACCOUNT },
      { N_("Read OpenAI’s guide to moving from the Assistants API to the Responses API."),
        N_("Migration Guide"), URI_OPENAI_MIGRATION },
      STEP_CHECK_AGAIN (N_("After correcting the settings, check again.")),
    },
  },
};

const BgptCatalogEntry *
bgpt_catalog_get_entries (gsize *n_entries)
{
  if (n_entries != NULL)
    *n_entries = G_N_ELEMENTS (entries);
  return entries;
}

const BgptCatalogEntry *
bgpt_catalog_lookup (const char *id)
{
  if (id == NULL)
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      if (g_str_equal (entries[i].id, id))
        return &entries[i];
    }

  return NULL;
}

static guint
count_steps (const BgptCatalogStep *steps)
{
  guint n = 0;

  while (n < BGPT_CATALOG_MAX_STEPS && steps[n].text != NULL)
    n++;
  return n;
}

guint
bgpt_catalog_entry_n_steps (const BgptCatalogEntry *entry)
{
  g_return_val_if_fail (entry != NULL, 0);

  return count_steps (entry->steps);
}

const char *
bgpt_catalog_entry_title (const BgptCatalogEntry *entry)
{
  if (entry == NULL)
    return NULL;
  return g_dgettext (GETTEXT_PACKAGE, entry->title);
}

const char *
bgpt_catalog_entry_cause (const BgptCatalogEntry *entry)
{
  if (entry == NULL)
    return NULL;
  return g_dgettext (GETTEXT_PACKAGE, entry->cause);
}

const char *
bgpt_catalog_title (const char *id)
{
  return bgpt_catalog_entry_title (bgpt_catalog_lookup (id));
}

gboolean
bgpt_catalog_has_flags (const char       *id,
                        BgptCatalogFlags  flags)
{
  const BgptCatalogEntry *entry = bgpt_catalog_lookup (id);

  return entry != NULL && (entry->flags & flags) == flags;
}

const char *
bgpt_catalog_step_text (const BgptCatalogStep *step)
{
  if (step == NULL || step->text == NULL)
    return NULL;
  return g_dgettext (GETTEXT_PACKAGE, step->text);
}

const char *
bgpt_catalog_step_label (const BgptCatalogStep *step)
{
  if (step == NULL || step->button_label == NULL)
    return NULL;
  return g_dgettext (GETTEXT_PACKAGE, step->button_label);
}

gboolean
bgpt_catalog_remediation_is_uri (const char *remediation)
{
  return remediation != NULL && g_str_has_prefix (remediation, "https://");
}

const char * const *
bgpt_catalog_action_names (void)
{
  return action_names;
}

/* Reasons that weigh more than their entry: spending over the budget is
 * critical, a projection over it only a warning. */
static const struct
{
  const char   *id;
  const char   *reason;
  BgptSeverity  severity;
} reason_severities[] = {
  { BGPT_DIAGNOSIS_OPENAI_BUDGET, "spent", BGPT_SEVERITY_CRITICAL },
};

BgptSeverity
bgpt_catalog_severity (const char *id,
                       const char *reason)
{
  const BgptCatalogEntry *entry = bgpt_catalog_lookup (id);

  if (entry == NULL)
    return BGPT_SEVERITY_CRITICAL;

  for (gsize i = 0; reason != NULL && i < G_N_ELEMENTS (reason_severities); i++)
    {
      if (g_str_equal (reason_severities[i].id, id) &&
          g_str_equal (reason_severities[i].reason, reason))
        return reason_severities[i].severity;
    }
  return entry->severity;
}

const BgptCatalogReason *
bgpt_catalog_get_reasons (gsize *n_reasons)
{
  if (n_reasons != NULL)
    *n_reasons = G_N_ELEMENTS (reasons);
  return reasons;
}

const BgptCatalogReason *
bgpt_catalog_lookup_reason (const char *id,
                            const char *reason)
{
  if (id == NULL || reason == NULL)
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if (g_str_equal (reasons[i].id, id) && g_str_equal (reasons[i].reason, reason))
        return &reasons[i];
    }

  return NULL;
}

const char *
bgpt_catalog_entry_cause_for (const BgptCatalogEntry *entry,
                              const char             *reason)
{
  const BgptCatalogReason *own;

  if (entry == NULL)
    return NULL;

  own = bgpt_catalog_lookup_reason (entry->id, reason);
  return g_dgettext (GETTEXT_PACKAGE, own != NULL ? own->cause : entry->cause);
}

const BgptCatalogStep *
bgpt_catalog_entry_steps_for (const BgptCatalogEntry *entry,
                              const char             *reason,
                              guint                  *n_steps)
{
  const BgptCatalogReason *own;
  const BgptCatalogStep *steps = NULL;

  if (entry != NULL)
    {
      own = bgpt_catalog_lookup_reason (entry->id, reason);
      steps = own != NULL ? own->steps : entry->steps;
    }

  if (n_steps != NULL)
    *n_steps = steps != NULL ? count_steps (steps) : 0;
  return steps;
}
