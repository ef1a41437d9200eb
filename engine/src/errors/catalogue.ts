/**
 * Every error the engine can raise, with its HTTP status and its message in each supported
 * language. Codes are stable API: clients branch on them, so a code is never renamed.
 * Placeholders `{name}` are filled from the error's params.
 */
export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = Object.freeze(['en', 'zh-CN']);
export type LocalizedMessage = Readonly<Record<Locale, string>>;

interface ErrorDefinition {
  readonly status: number;
  readonly message: LocalizedMessage;
}

function def(status: number, en: string, zh: string): ErrorDefinition {
  return Object.freeze({ status, message: Object.freeze({ en, 'zh-CN': zh }) });
}

export const errorCatalogue = Object.freeze({
  // Input
  validation_failed: def(400, 'The input is not valid: {summary}', '输入无效：{summary}'),
  invalid_api_name: def(400, 'Invalid API name "{name}": {reason}', 'API 名称 "{name}" 无效：{reason}'),
  metadata_invalid: def(400, 'The {kind} definition is not valid: {summary}', '{kind} 定义无效：{summary}'),
  rule_invalid: def(400, 'The rule is not valid: {summary}', '规则无效：{summary}'),
  filter_not_translatable: def(
    400,
    'The filter cannot run in the database: {reason}',
    '该筛选条件无法在数据库中执行：{reason}',
  ),
  sort_invalid: def(400, 'Cannot sort by "{field}": {reason}', '无法按 "{field}" 排序：{reason}'),
  export_too_large: def(400, 'The export would have more than {max} records; narrow it with a filter', '导出记录超过 {max} 条，请用筛选条件缩小范围'),
  cursor_invalid: def(400, 'The pagination cursor is not valid for this query', '分页游标对此查询无效'),
  bad_request: def(
    400,
    'The HTTP request could not be read: percent-encode the URL as UTF-8 and send well-formed headers',
    '无法读取该 HTTP 请求：请将 URL 按 UTF-8 进行百分号编码，并发送格式正确的请求头',
  ),
  actor_required: def(401, 'Every engine call needs an actor', '每个引擎调用都需要指定操作者'),
  unauthenticated: def(401, 'Sign in or send a valid API token', '请登录或提供有效的 API 令牌'),
  invalid_credentials: def(401, 'The email or password is not correct', '邮箱或密码不正确'),
  csrf_failed: def(403, 'The request is missing a valid CSRF token', '请求缺少有效的 CSRF 令牌'),
  forbidden: def(403, 'You may not {action} {subject}', '您无权{action} {subject}'),
  field_forbidden: def(403, 'You may not change {fields}', '您无权修改 {fields}'),
  rate_limited: def(429, 'Too many attempts; retry in {retry_after} seconds', '尝试次数过多，请在 {retry_after} 秒后重试'),
  route_not_found: def(404, 'There is no {method} {path}', '不存在 {method} {path}'),
  token_not_found: def(404, 'API token {id} does not exist', 'API 令牌 {id} 不存在'),
  unsupported_media_type: def(415, 'Send the body as {expected}', '请以 {expected} 发送请求体'),
  payload_too_large: def(413, 'The request body is larger than {limit} bytes', '请求体超过 {limit} 字节'),
  request_timeout: def(408, 'The request took too long to arrive', '请求发送超时'),
  request_header_too_large: def(
    431,
    'The request line and headers are larger than {limit} bytes: shorten the URL (a long filter, for example) or the headers',
    '请求行和请求头超过 {limit} 字节：请缩短 URL（例如过长的筛选条件）或请求头',
  ),
  idempotency_key_reused: def(
    422,
    'This Idempotency-Key was already used for a different request',
    '该 Idempotency-Key 已用于另一个不同的请求',
  ),
  rule_violation: def(
    422,
    'The {object} record breaks its validation rules: {summary}',
    '该 {object} 记录不符合校验规则：{summary}',
  ),
  approval_criteria_not_met: def(
    422,
    'Record {id} does not meet the entry criteria of approval process "{process}"',
    '记录 {id} 不满足审批流程 "{process}" 的提交条件',
  ),
  approval_not_applicable: def(
    422,
    'No active approval process of "{object}" accepts record {id}',
    '"{object}" 没有适用于记录 {id} 的已启用审批流程',
  ),
  approval_no_approver: def(
    422,
    'Step "{step}" of approval process "{process}" has no approver who can act: {reason}',
    '审批流程 "{process}" 的步骤 "{step}" 没有可以处理的审批人：{reason}',
  ),
  workflow_failed: def(
    422,
    'Workflow "{workflow}" of "{object}" failed at action "{action}", so nothing was saved: {summary}',
    '"{object}" 的工作流 "{workflow}" 在动作 "{action}" 失败，因此未保存任何更改：{summary}',
  ),
  workflow_depth_exceeded: def(
    422,
    'Workflows triggered each other more than {max} levels deep (the last was "{workflow}" of "{object}"), so nothing was saved: check for workflows whose actions trigger each other in a loop',
    '工作流相互触发超过 {max} 层（最后一个是 "{object}" 的 "{workflow}"），因此未保存任何更改：请检查是否有工作流的动作循环触发彼此',
  ),
  idempotency_in_progress: def(409, 'A request with this Idempotency-Key is still running', '使用该 Idempotency-Key 的请求仍在处理中'),
  actor_invalid: def(401, 'The actor is not a known, active user', '操作者不是有效的活跃用户'),

  // Missing things
  object_not_found: def(404, 'Object "{object}" does not exist', '对象 "{object}" 不存在'),
  field_not_found: def(404, 'Field "{field}" does not exist on object "{object}"', '对象 "{object}" 上不存在字段 "{field}"'),
  layout_not_found: def(404, 'Layout "{name}" does not exist on object "{object}"', '对象 "{object}" 上不存在布局 "{name}"'),
  view_not_found: def(404, 'View "{name}" does not exist on object "{object}"', '对象 "{object}" 上不存在视图 "{name}"'),
  validation_rule_not_found: def(404, 'Validation rule "{name}" does not exist on object "{object}"', '对象 "{object}" 上不存在校验规则 "{name}"'),
  record_not_found: def(404, 'Record {id} of "{object}" does not exist', '"{object}" 的记录 {id} 不存在'),
  user_not_found: def(404, 'User {id} does not exist', '用户 {id} 不存在'),
  role_not_found: def(404, 'Role "{name}" does not exist', '角色 "{name}" 不存在'),
  department_not_found: def(404, 'Department {id} does not exist', '部门 {id} 不存在'),
  share_not_found: def(404, 'Share {id} does not exist', '共享 {id} 不存在'),
  job_not_found: def(404, 'Job {id} does not exist', '任务 {id} 不存在'),
  template_not_found: def(404, 'No template named "{name}" is shipped with this server', '本服务器未附带名为 "{name}" 的模板'),
  approval_process_not_found: def(404, 'Approval process "{name}" does not exist on object "{object}"', '对象 "{object}" 上不存在审批流程 "{name}"'),
  workflow_not_found: def(404, 'Workflow "{name}" does not exist on object "{object}"', '对象 "{object}" 上不存在工作流 "{name}"'),
  notification_not_found: def(404, 'Notification {id} does not exist', '通知 {id} 不存在'),
  saved_view_not_found: def(404, 'Saved view {id} does not exist', '个人视图 {id} 不存在'),
  approval_request_not_found: def(404, 'Approval request {id} does not exist', '审批请求 {id} 不存在'),

  // Conflicts
  name_taken: def(409, '{kind} "{name}" already exists', '{kind} "{name}" 已存在'),
  unique_violation: def(
    409,
    'Another {object} record already has this {field}',
    '已有其他 {object} 记录使用了相同的 {field}',
  ),
  reference_in_use: def(
    409,
    'This {object} record is still referenced by {count} {referencing} record(s) through "{field}"',
    '此 {object} 记录仍被 {count} 条 {referencing} 记录通过 "{field}" 引用',
  ),
  dependency_exists: def(
    409,
    'Cannot {action} {subject}: it is used by {dependents}',
    '无法{action} {subject}：它正被 {dependents} 使用',
  ),
  type_change_refused: def(
    409,
    'Cannot change field "{field}" from {from} to {to}: {reason}',
    '无法将字段 "{field}" 从 {from} 改为 {to}：{reason}',
  ),
  object_deleted: def(409, 'Object "{object}" is in the recycle bin', '对象 "{object}" 已在回收站中'),
  record_deleted: def(409, 'Record {id} of "{object}" is in the recycle bin', '"{object}" 的记录 {id} 已在回收站中'),
  parent_deleted: def(
    409,
    'Restore the parent {object} record {id} first',
    '请先恢复上级 {object} 记录 {id}',
  ),
  metadata_changed: def(
    409,
    'The metadata changed while the request ran; retry it',
    '请求执行期间元数据已更改，请重试',
  ),
  record_locked: def(
    409,
    '{label} "{title}" is awaiting approval: it cannot be changed until the request is decided or recalled',
    '{label}「{title}」正在等待审批：在审批完成或撤回之前不能修改',
  ),
  approval_pending: def(
    409,
    'Record {id} of "{object}" already has a pending approval request',
    '"{object}" 的记录 {id} 已有待处理的审批请求',
  ),
  approval_already_decided: def(
    409,
    'Approval request {id} was already decided or has moved on (it is {status})',
    '审批请求 {id} 已处理或已进入下一步（当前状态：{status}）',
  ),
  approval_process_inactive: def(409, 'Approval process "{name}" of "{object}" is not active', '"{object}" 的审批流程 "{name}" 未启用'),
  stale_version: def(
    412,
    'Record {id} was changed by someone else (expected version {expected}, current {current})',
    '记录 {id} 已被他人修改（期望版本 {expected}，当前版本 {current}）',
  ),
  job_not_retryable: def(409, 'Job {id} is {state}: only dead jobs can be retried', '任务 {id} 的状态为 {state}：只有已放弃（dead）的任务可以重试'),
  lock_timeout: def(503, 'The database is busy; retry in a moment', '数据库繁忙，请稍后重试'),
  database_unavailable: def(503, 'The database is not ready; retry in a moment', '数据库尚未就绪，请稍后重试'),
  internal: def(500, 'Something went wrong on our side', '服务器内部错误'),
});

export type ErrorCode = keyof typeof errorCatalogue;

/** Per-field problems, reported inside `fields` of the error shape. */
export const fieldIssueCatalogue = Object.freeze({
  required: { en: 'is required', 'zh-CN': '为必填项' },
  type: { en: 'must be {expected}', 'zh-CN': '必须是{expected}' },
  unknown_field: { en: 'is not a field of this object', 'zh-CN': '不是此对象的字段' },
  read_only: { en: 'is read-only', 'zh-CN': '为只读字段' },
  max_length: { en: 'must be at most {limit} characters', 'zh-CN': '最多 {limit} 个字符' },
  min_length: { en: 'must be at least {limit} characters', 'zh-CN': '至少 {limit} 个字符' },
  minimum: { en: 'must be at least {limit}', 'zh-CN': '不能小于 {limit}' },
  maximum: { en: 'must be at most {limit}', 'zh-CN': '不能大于 {limit}' },
  pattern: { en: 'does not match the required pattern', 'zh-CN': '格式不符合要求' },
  format: { en: 'must be a valid {format}', 'zh-CN': '必须是有效的{format}' },
  precision: {
    en: 'must have at most {integer_digits} digits before and {scale} after the decimal point',
    'zh-CN': '整数部分最多 {integer_digits} 位，小数部分最多 {scale} 位',
  },
  option: { en: '"{value}" is not an allowed option', 'zh-CN': '"{value}" 不是允许的选项' },
  dependent_option: {
    en: '"{value}" is not allowed when {controlling} is "{controlling_value}"',
    'zh-CN': '当 {controlling} 为 "{controlling_value}" 时不允许 "{value}"',
  },
  reference_not_found: { en: 'refers to a record that does not exist', 'zh-CN': '引用的记录不存在' },
  unique: { en: 'must be unique; another record already has this value', 'zh-CN': '必须唯一，已有记录使用该值' },
  duplicate: { en: 'contains "{value}" more than once', 'zh-CN': '包含重复的 "{value}"' },
  invalid: { en: '{reason}', 'zh-CN': '{reason}' },
  nul_character: { en: 'contains the character U+0000 (NUL), which cannot be stored', 'zh-CN': '包含无法保存的字符 U+0000（NUL）' },
  too_deep: { en: 'is nested more than {limit} levels deep', 'zh-CN': '嵌套超过 {limit} 层' },
  too_large: { en: 'has more than {limit} values', 'zh-CN': '包含超过 {limit} 个值' },
  forbidden: { en: 'may not be changed by you', 'zh-CN': '您无权修改' },
  used_by: { en: '{user} {uses}', 'zh-CN': '{user} {uses}' },
  webhook_secret_not_set: {
    en: 'action "{action}" sends a webhook, but this server has no secret to sign it with: set {variable} and restart the server, or save the workflow inactive',
    'zh-CN': '动作 "{action}" 会发送 Webhook，但服务器没有用于签名的密钥：请设置 {variable} 并重启服务器，或将工作流保存为停用状态',
  },
  smtp_not_set: {
    en: 'action "{action}" sends email, but this server has no SMTP server to send it through: set {variable} and restart the server, or save the workflow inactive',
    'zh-CN': '动作 "{action}" 会发送邮件，但服务器没有配置 SMTP 服务器：请设置 {variable} 并重启服务器，或将工作流保存为停用状态',
  },
} satisfies Record<string, LocalizedMessage>);

export type FieldIssueCode = keyof typeof fieldIssueCatalogue;

/**
 * What a field expected, as named in `type` issues ({expected}); the English phrase is the key so
 * code reads naturally, and each has its zh-CN form.
 */
export const expectationCatalogue = Object.freeze({
  text: '文本',
  'an email address': '有效的邮箱地址',
  'a phone number': '有效的电话号码',
  'a web address (http or https)': '以 http 或 https 开头的网址',
  'a whole number': '整数',
  'a decimal number': '数字',
  'a finite decimal number': '有限的数字',
  'true or false': '是或否',
  'a date (YYYY-MM-DD)': '日期（YYYY-MM-DD）',
  'a date and time (ISO 8601 with a time zone)': '带时区的日期时间（ISO 8601）',
  'a date and time between years 0001 and 9999': '0001 至 9999 年之间的日期时间',
  'one of the options': '选项之一',
  'a list of options': '选项列表',
  'a record id': '记录 ID',
  'a user id': '用户 ID',
  'nothing (it is computed)': '空（该字段由系统计算）',
  'nothing (it is assigned automatically)': '空（该字段由系统自动编号）',
  'any JSON value': '任意 JSON 值',
  'a JSON object': 'JSON 对象',
  'a JSON object of field values': '由字段值组成的 JSON 对象',
  'a JSON object on one line': '占一行的 JSON 对象',
  'a string': '字符串',
  'an object': '对象',
  'UTF-8 JSON (application/json)': 'UTF-8 编码的 JSON（application/json）',
  'a UTF-8 CSV (text/csv) or NDJSON (application/x-ndjson) file': 'UTF-8 编码的 CSV（text/csv）或 NDJSON（application/x-ndjson）文件',
} satisfies Record<string, string>);

/** What a `forbidden` error says the caller may not do ({action}), in each language. */
export const actionCatalogue: Readonly<Record<string, LocalizedMessage>> = Object.freeze({
  create: { en: 'create records of', 'zh-CN': '创建记录：' },
  read: { en: 'read records of', 'zh-CN': '查看记录：' },
  edit: { en: 'edit', 'zh-CN': '编辑' },
  delete: { en: 'delete', 'zh-CN': '删除' },
  export: { en: 'export records of', 'zh-CN': '导出记录：' },
  share: { en: 'share', 'zh-CN': '共享' },
  transfer: { en: 'give ownership of this record to', 'zh-CN': '将记录转交给' },
  administer: { en: 'change', 'zh-CN': '修改' },
  change_own_roles: { en: 'change the roles of', 'zh-CN': '修改角色：' },
  rename_self: { en: 'rename', 'zh-CN': '重命名' },
  submit: { en: 'submit for approval', 'zh-CN': '提交审批：' },
  approve: { en: 'approve', 'zh-CN': '审批通过' },
  reject: { en: 'reject', 'zh-CN': '驳回' },
  recall: { en: 'recall', 'zh-CN': '撤回' },
  reassign: { en: 'reassign', 'zh-CN': '转交' },
  // Metadata changes refused by dependency_exists.
  add: { en: 'add', 'zh-CN': '添加' },
  change: { en: 'change', 'zh-CN': '修改' },
  rename: { en: 'rename', 'zh-CN': '重命名' },
  change_type: { en: 'change the type of', 'zh-CN': '更改类型' },
  restore: { en: 'restore', 'zh-CN': '恢复' },
});

/** Kinds of metadata documents, as dependency messages name them: formula `weighted_amount` (Weighted amount). */
export const documentKindCatalogue = Object.freeze({
  object: { en: 'object', 'zh-CN': '对象' },
  field: { en: 'field', 'zh-CN': '字段' },
  formula: { en: 'formula', 'zh-CN': '公式字段' },
  rollup: { en: 'rollup', 'zh-CN': '汇总字段' },
  lookup: { en: 'lookup', 'zh-CN': '查找字段' },
  master_detail: { en: 'master-detail field', 'zh-CN': '主从字段' },
  layout: { en: 'layout', 'zh-CN': '布局' },
  view: { en: 'view', 'zh-CN': '视图' },
  saved_view: { en: 'saved view', 'zh-CN': '个人视图' },
  validation_rule: { en: 'validation rule', 'zh-CN': '校验规则' },
  approval_process: { en: 'approval process', 'zh-CN': '审批流程' },
  workflow: { en: 'workflow', 'zh-CN': '工作流' },
  role: { en: 'role', 'zh-CN': '角色' },
  department: { en: 'department', 'zh-CN': '部门' },
  user: { en: 'user', 'zh-CN': '用户' },
  // Kinds named only by metadata_invalid.
  patch: { en: 'patch', 'zh-CN': '修改内容' },
  template: { en: 'template', 'zh-CN': '模板' },
} satisfies Record<string, LocalizedMessage>);

export type DocumentKind = keyof typeof documentKindCatalogue;

/**
 * What a document does with a field, object or role it depends on ({subject}: its label), as
 * the entries of dependency_exists say it: "formula `weighted_amount` reads Amount in its expression".
 */
export const usageCatalogue = Object.freeze({
  reads_expression: { en: 'reads {subject} in its expression', 'zh-CN': '在表达式中读取 {subject}' },
  reads_default: { en: 'reads {subject} in its default value', 'zh-CN': '在默认值中读取 {subject}' },
  controlled_by: { en: 'takes its allowed options from {subject}', 'zh-CN': '根据 {subject} 决定可选项' },
  looks_up: { en: 'looks up {subject} records', 'zh-CN': '查找 {subject} 的记录' },
  rolls_up_records: { en: 'rolls up {subject} records', 'zh-CN': '汇总 {subject} 的记录' },
  rolls_up_through: { en: 'finds its child records through {subject}', 'zh-CN': '通过 {subject} 查找子记录' },
  aggregates: { en: 'aggregates {subject}', 'zh-CN': '汇总 {subject} 的值' },
  filters_children: { en: 'filters child records on {subject}', 'zh-CN': '按 {subject} 筛选子记录' },
  names_records: { en: 'names its records by {subject}', 'zh-CN': '用 {subject} 作为记录标题' },
  places: { en: 'places {subject} in a section', 'zh-CN': '在分区中放置 {subject}' },
  shows_field_when: { en: 'shows a field depending on {subject}', 'zh-CN': '根据 {subject} 决定是否显示字段' },
  locks_field_when: { en: 'makes a field read-only depending on {subject}', 'zh-CN': '根据 {subject} 决定字段是否只读' },
  shows_section_when: { en: 'shows a section depending on {subject}', 'zh-CN': '根据 {subject} 决定是否显示分区' },
  lists_related: { en: 'lists related {subject} records', 'zh-CN': '列出相关的 {subject} 记录' },
  relates_through: { en: 'lists related records through {subject}', 'zh-CN': '通过 {subject} 列出相关记录' },
  shows_column: { en: 'shows {subject} as a column', 'zh-CN': '将 {subject} 显示为列' },
  shows_on_cards: { en: 'shows {subject} on its cards', 'zh-CN': '在卡片上显示 {subject}' },
  groups_by: { en: 'groups records by {subject}', 'zh-CN': '按 {subject} 分组' },
  filters_on: { en: 'filters records on {subject}', 'zh-CN': '按 {subject} 筛选记录' },
  sorts_by: { en: 'sorts records by {subject}', 'zh-CN': '按 {subject} 排序' },
  reads_condition: { en: 'reads {subject} in its condition', 'zh-CN': '在条件中读取 {subject}' },
  points_at: { en: 'points its message at {subject}', 'zh-CN': '将提示信息指向 {subject}' },
  reads_entry_criteria: { en: 'reads {subject} in its entry criteria', 'zh-CN': '在提交条件中读取 {subject}' },
  reads_step_criteria: { en: 'reads {subject} in the criteria of a step', 'zh-CN': '在审批步骤的条件中读取 {subject}' },
  approvers_from: { en: 'takes approvers from {subject}', 'zh-CN': '从 {subject} 确定审批人' },
  sets_on_approve: { en: 'sets {subject} when a request is approved', 'zh-CN': '在审批通过时设置 {subject}' },
  sets_on_reject: { en: 'sets {subject} when a request is rejected', 'zh-CN': '在审批驳回时设置 {subject}' },
  sets_on_recall: { en: 'sets {subject} when a request is recalled', 'zh-CN': '在撤回审批时设置 {subject}' },
  reads_field_update: { en: 'reads {subject} to compute a field update', 'zh-CN': '读取 {subject} 以计算字段更新' },
  watches: { en: 'runs when {subject} changes', 'zh-CN': '在 {subject} 变化时运行' },
  reads_trigger: { en: 'reads {subject} in its trigger', 'zh-CN': '在触发条件中读取 {subject}' },
  runs_on_date: { en: 'runs on the date in {subject}', 'zh-CN': '按 {subject} 中的日期运行' },
  sets_value: { en: 'sets {subject}', 'zh-CN': '设置 {subject}' },
  reads_value: { en: 'reads {subject} to compute a value it sets', 'zh-CN': '读取 {subject} 以计算要设置的值' },
  updates_through: { en: 'updates the record that {subject} points to', 'zh-CN': '更新 {subject} 指向的记录' },
  creates_records: { en: 'creates {subject} records', 'zh-CN': '创建 {subject} 记录' },
  writes_records: { en: 'writes {subject} records', 'zh-CN': '写入 {subject} 记录' },
  reads_assignment: { en: 'reads {subject} to choose an owner', 'zh-CN': '读取 {subject} 以选择负责人' },
  assigns_in_turn: { en: 'assigns records in turn within {subject}', 'zh-CN': '在 {subject} 中轮流分配记录' },
  shares_with: { en: 'shares records with the user in {subject}', 'zh-CN': '将记录共享给 {subject} 中的用户' },
  notifies: { en: 'notifies {subject}', 'zh-CN': '通知 {subject}' },
  notifies_field: { en: 'notifies the user in {subject}', 'zh-CN': '通知 {subject} 中的用户' },
  emails: { en: 'sends email to the address in {subject}', 'zh-CN': '向 {subject} 中的地址发送邮件' },
  writes_message: { en: 'writes {subject} into a message', 'zh-CN': '在消息中写入 {subject}' },
  sends_webhook: { en: 'sends {subject} in a webhook', 'zh-CN': '在回调请求中发送 {subject}' },
  submits_to: { en: 'submits records to {subject}', 'zh-CN': '将记录提交到 {subject}' },
  sets_access: { en: 'sets who may see or change {subject}', 'zh-CN': '设置 {subject} 的访问权限' },
  grants_access: { en: 'grants access to {subject}', 'zh-CN': '授予 {subject} 的访问权限' },
  uses: { en: 'uses {subject}', 'zh-CN': '使用 {subject}' },
} satisfies Record<string, LocalizedMessage>);

export type UsageCode = keyof typeof usageCatalogue;
