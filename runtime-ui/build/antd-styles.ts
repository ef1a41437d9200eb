/**
 * The CSS of the antd components the app uses, made at build time with antd's own style engine.
 *
 * The app runs antd with `zeroRuntime` (App.tsx): components inject no style at run time, only the
 * theme's CSS variables, and their rules must come from a static style sheet. antd ships one for
 * all its components (`antd/dist/antd.css`, made by rendering every component to a string and
 * extracting what their style hooks registered). This does the same for the components below only:
 * each is rendered once on the server inside a cssinjs cache, and the cache's component rules are
 * written out (`types: 'style'`, unhashed, as antd.css is). The theme's variables are not in it:
 * ConfigProvider sets them at run time from App.tsx's tokens, and the rules only refer to them.
 *
 * A component's style hook runs when the component renders, and some parts only render inside
 * others (a Select's empty list, a Dropdown's menu, a confirm dialog): those are rendered here on
 * their own. Adding an antd component to the app means adding it here; tests/ui/antd-styles.test.ts
 * fails on an import from 'antd' this does not cover.
 */
import { createCache, extractStyle, StyleProvider } from '@ant-design/cssinjs';
import * as antd from 'antd';
import { createElement as h, Fragment, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';

/** antd's exports that are not components, or have no style of their own. */
export const STYLELESS = ['ConfigProvider', 'Grid', 'theme', 'version'] as const;

/** The app's antd components (each name as imported from 'antd'), as they render, with the parts only seen in use. */
export function usedComponents(): Record<string, ReactNode> {
  const { Alert, App, Badge, Button, Card, Checkbox, Col, Collapse, DatePicker, Drawer, Dropdown, Empty, Form, Input, InputNumber, Layout, List, Menu, Modal, Popover, Progress, Result, Row, Segmented, Select, Skeleton, Space, Spin, Switch, Table, Tabs, Tag, Timeline, Tooltip, Typography, message } = antd;
  // Internal panels antd's own extraction renders for the parts that only exist while shown.
  const { _InternalPanelDoNotUseOrYouWillBeFired: ModalPanel } = Modal as unknown as { _InternalPanelDoNotUseOrYouWillBeFired: (props: { type?: string }) => ReactNode };
  const { _InternalPanelDoNotUseOrYouWillBeFired: MessagePanel } = message as unknown as { _InternalPanelDoNotUseOrYouWillBeFired: () => ReactNode };
  return {
    Alert: h(Alert, { message: 'a' }),
    App: h(App, null, 'a'),
    Badge: h(Badge, { count: 1 }),
    Button: h(Button, null, 'a'),
    Card: h(Card, null, 'a'),
    Checkbox: h(Checkbox, null),
    Collapse: h(Collapse, { items: [{ key: 'a', label: 'a', children: 'a' }] }),
    DatePicker: h(Fragment, null, h(DatePicker, null), h(DatePicker.RangePicker, null)),
    Drawer: h(Drawer, null, 'a'),
    Dropdown: h(Dropdown, { menu: { items: [] } }, h('span', null)),
    Empty: h(Fragment, null, h(Empty, null), h(Empty, { image: Empty.PRESENTED_IMAGE_SIMPLE })),
    // Form items lay out on the grid (Row, Col).
    Form: h(Form, null, h(Form.Item, { label: 'a' }, h(Input, null)), h(Row, null, h(Col, { span: 12 }))),
    Input: h(Fragment, null, h(Input, null), h(Input.Search, null), h(Input.TextArea, null), h(Input.Password, null)),
    InputNumber: h(InputNumber, null),
    Layout: h(Layout, null, h(Layout.Header, null), h(Layout.Sider, null), h(Layout.Content, null)),
    List: h(List, { dataSource: ['a'], renderItem: (item: unknown) => h(List.Item, null, h(List.Item.Meta, { title: String(item) })) }),
    Menu: h(Menu, { items: [{ key: 'a', label: 'a' }] }),
    Modal: h(Fragment, null, h(Modal, null), h(ModalPanel, null), h(ModalPanel, { type: 'confirm' })),
    Popover: h(Popover, { content: 'a' }, h('span', null)),
    Progress: h(Progress, { percent: 50, status: 'active' }),
    Result: h(Result, { status: '404' }),
    Segmented: h(Segmented, { options: ['a'] }),
    Select: h(Select, null),
    Skeleton: h(Skeleton, { active: true }),
    Space: h(Fragment, null, h(Space, null), h(Space.Compact, null, h(Button, null))),
    Spin: h(Spin, null),
    Switch: h(Switch, null),
    Table: h(Table, { columns: [{ key: 'a', title: 'a' }], dataSource: [], pagination: false }),
    Tabs: h(Tabs, { items: [{ key: 'a', label: 'a' }] }),
    // Colours (preset and status) have rules of their own, registered when a coloured tag renders.
    Tag: h(Fragment, null, h(Tag, null, 'a'), h(Tag, { color: 'blue' }, 'a'), h(Tag, { color: 'success' }, 'a')),
    Timeline: h(Timeline, { items: [{ content: 'a' }] }),
    // Shown by antd inside other components (ellipsis, Typography's copy button...).
    Tooltip: h(Tooltip, { title: 'a' }, h('span', null)),
    Typography: h(Fragment, null, h(Typography.Title, null), h(Typography.Text, null), h(Typography.Paragraph, null), h(Typography.Link, null)),
    message: h(MessagePanel, null),
  };
}

/** The component rules of `usedComponents()`, as one style sheet. */
export function antdStyles(): string {
  const cache = createCache();
  // Unhashed selectors (`.ant-btn`, as in antd.css): they match whatever hash the app's theme gets.
  renderToString(h(StyleProvider, { cache }, h(antd.ConfigProvider, { theme: { hashed: false } }, ...Object.values(usedComponents()))));
  return extractStyle(cache, { plain: true, types: 'style' });
}
