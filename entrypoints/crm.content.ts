import { defineContentScript } from 'wxt/utils/define-content-script';

// Registered at run time, only on the CRM sites the user granted (utils/background/crm-sites.ts).
export default defineContentScript({
  registration: 'runtime',
  main() {},
});
