/**
 * What the job's status message says, as hints (message-classifier.ts): the
 * action, resource and policy type IAM's access-denied text names, or the known
 * AWS Backup message it matches. This check never fails: the verdict uses the
 * hint to pick among failing evidence findings and to set confidence. An
 * unrecognised message is a `warn` (the verdict then rests on evidence alone).
 */
import { defineCheck } from '../define-check.js'

export default defineCheck({
  id: 'status-message',
  title: 'Status message names a known cause',
  severity: 'low',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job'],
  rootCauses: [],
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
  messages: {
    'no-message': 'The job has no status message.',
    'access-denied': 'The status message is an access denial{{actionText}}{{policyText}}; it points to {{codes}}.',
    'access-denied-generic': 'The status message is a generic access denial that names no policy; likely causes: {{codes}}.',
    'non-permission': 'The status message names a non-permission cause: {{codes}}.',
    success: 'The status message reports success.',
    unrecognised: 'The status message matches no known pattern; the verdict rests on evidence alone.',
  },
  run({ hint }) {
    const data = {
      ruleId: hint.ruleId, codes: hint.codes, strength: hint.strength, action: hint.action, resource: hint.resource,
      principal: hint.principal, policyType: hint.policyType, explicitDeny: hint.explicitDeny, encoded: hint.encoded,
      actionText: hint.action ? ` for ${hint.action}${hint.resource ? ` on ${hint.resource}` : ''}` : '',
      policyText: hint.policyType ? ` (${hint.explicitDeny ? 'explicit deny in' : 'nothing allows in'} the ${hint.policyType} policies)` : '',
    }
    switch (hint.kind) {
      case 'none': return { status: 'pass', messageId: 'no-message', data }
      case 'success': return { status: 'pass', messageId: 'success', data }
      case 'non-permission': return { status: 'pass', messageId: 'non-permission', data }
      case 'access-denied':
        return { status: 'pass', messageId: hint.strength === 'strong' ? 'access-denied' : 'access-denied-generic', data }
      case 'unrecognised': return { status: 'warn', messageId: 'unrecognised', data }
    }
  },
})
