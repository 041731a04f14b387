// The case inbox: every case the account may see, filtered, searched and sorted by the next deadline,
// with the filters in the address so a view can be bookmarked and Back works. Keyboard: `/` searches,
// `j`/`k` move through the rows, Enter opens. Staff also get the incoming reports not yet in a case.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { API, get, query } from '../../api.ts';
import { Link, navigate, useSearch, useTitle } from '../../router.tsx';
import { type User, useUser } from '../../session.tsx';
import type { CaseSummary, List, Named, Product, Supplier } from '../../types.ts';
import { formatDate, Loaded, useResource } from '../../ui.tsx';
import {
  caseStates,
  isStaff,
  Revealed,
  SeverityBadge,
  severities,
  stateLabels,
  timeLeft,
} from './case-text.tsx';
import { IncomingReports } from './incoming-reports.tsx';
import './cases.css';

const PAGE = 50;
const sorts = {
  'next-deadline': 'Next deadline',
  updated: 'Recently changed',
  created: 'Newest',
  severity: 'Severity',
} as const;
type Sort = keyof typeof sorts;

/** The filters a view is made of, read from and written to the address. */
type Filters = {
  state: string;
  severity: string;
  product: string;
  supplier: string;
  assignee: string;
  overdue: boolean;
  open: boolean;
  q: string;
  sort: Sort;
  page: number;
};

function filtersFrom(search: URLSearchParams): Filters {
  const sort = search.get('sort') ?? 'next-deadline';
  return {
    state: search.get('state') ?? '',
    severity: search.get('severity') ?? '',
    product: search.get('product') ?? '',
    supplier: search.get('supplier') ?? '',
    assignee: search.get('assignee') ?? '',
    overdue: search.get('overdue') === 'true',
    // Cases still being worked on, unless the address says otherwise.
    open: search.get('open') !== 'false',
    q: search.get('q') ?? '',
    sort: sort in sorts ? (sort as Sort) : 'next-deadline',
    page: Math.max(0, Number.parseInt(search.get('page') ?? '0', 10) || 0),
  };
}

function addressOf(filters: Filters): string {
  return `/cases${query({
    state: filters.state,
    severity: filters.severity,
    product: filters.product,
    supplier: filters.supplier,
    assignee: filters.assignee,
    overdue: filters.overdue ? 'true' : undefined,
    open: filters.open ? undefined : 'false',
    q: filters.q,
    sort: filters.sort === 'next-deadline' ? undefined : filters.sort,
    page: filters.page > 0 ? filters.page : undefined,
  })}`;
}

const staff = isStaff;

export function Inbox() {
  const user = useUser();
  const search = useSearch();
  const view = staff(user) && search.get('view') === 'reports' ? 'reports' : 'cases';
  useTitle(view === 'reports' ? 'Incoming reports' : 'Cases');
  return (
    <section>
      <div className="page-head">
        <h1>{view === 'reports' ? 'Incoming reports' : 'Cases'}</h1>
        <p className="hint">
          {view === 'reports'
            ? 'Reports no case holds yet: open a case from one, or attach it to a case it repeats.'
            : 'Press / to search, j and k to move through the cases, Enter to open one.'}
        </p>
      </div>
      {staff(user) && (
        <nav className="view-switch" aria-label="Inbox views">
          <Link to="/cases" aria-current={view === 'cases' ? 'page' : undefined}>
            Cases
          </Link>
          <Link to="/cases?view=reports" aria-current={view === 'reports' ? 'page' : undefined}>
            Incoming reports
          </Link>
        </nav>
      )}
      {view === 'reports' ? <IncomingReports /> : <CaseList filters={filtersFrom(search)} user={user} />}
    </section>
  );
}

/** A page of the inbox; `totalCapped`: more match than the server counted, `total` is a lower bound. */
type CasePage = List<CaseSummary> & { totalCapped?: boolean };

async function loadCases(filters: Filters): Promise<CasePage> {
  return get<CasePage>(
    `${API}/cases${query({
      state: filters.state,
      severity: filters.severity,
      product: filters.product,
      supplier: filters.supplier,
      assignee: filters.assignee,
      q: filters.q.trim(),
      overdue: filters.overdue ? 'true' : undefined,
      // A chosen state says it all: closed cases are found when asked for by state.
      open: filters.open && !filters.state ? 'true' : undefined,
      sort: filters.sort,
      limit: PAGE,
      offset: filters.page * PAGE,
    })}`,
  );
}

function CaseList({ filters, user }: { filters: Filters; user: User }) {
  const key = addressOf(filters);
  const cases = useResource(() => loadCases(filters), key);
  const [selected, setSelected] = useState(0);
  const searchBox = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLTableSectionElement>(null);

  const items = cases.state === 'ready' ? cases.data.items : [];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (event.key === '/') {
        event.preventDefault();
        searchBox.current?.focus();
        searchBox.current?.select();
        return;
      }
      if (event.key !== 'j' && event.key !== 'k') return;
      const links = table.current?.querySelectorAll<HTMLAnchorElement>('a.case-link');
      if (!links || links.length === 0) return;
      event.preventDefault();
      const focused = [...links].indexOf(document.activeElement as HTMLAnchorElement);
      const from = focused >= 0 ? focused : event.key === 'j' ? selected - 1 : selected + 1;
      const next = Math.min(links.length - 1, Math.max(0, from + (event.key === 'j' ? 1 : -1)));
      setSelected(next);
      links[next]?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selected]);

  const change = (changes: Partial<Filters>) => navigate(addressOf({ ...filters, page: 0, ...changes }));

  return (
    <>
      <FilterBar filters={filters} user={user} items={items} change={change} searchBox={searchBox} />
      <Loaded resource={cases}>
        {(list) => (
          <CaseTable
            list={list}
            user={user}
            selected={selected}
            onSelect={setSelected}
            body={table}
            filters={filters}
          />
        )}
      </Loaded>
    </>
  );
}

type Options = { products: Named[]; suppliers: Named[]; assignees: Named[] };

/** Everything a filter can be set to: products, suppliers, and the people cases can be assigned to. */
function useFilterOptions(user: User, items: CaseSummary[]): Options {
  const [loaded, setLoaded] = useState<Omit<Options, 'assignees'> & { staff: Named[] }>({
    products: [],
    suppliers: [],
    staff: [],
  });
  useEffect(() => {
    let live = true;
    const none = () => null;
    Promise.all([
      get<List<Product>>(`${API}/products?limit=500`).catch(none),
      staff(user) ? get<{ suppliers: Supplier[] }>(`${API}/suppliers`).catch(none) : null,
      staff(user) ? get<{ users: Named[] }>(`${API}/users/assignable`).catch(none) : null,
    ]).then(([products, suppliers, users]) => {
      if (!live) return;
      setLoaded({
        products: products?.items.map((p) => ({ id: p.id, name: p.name })) ?? [],
        suppliers: suppliers?.suppliers.map((s) => ({ id: s.id, name: s.name })) ?? [],
        staff: users?.users ?? [],
      });
    });
    return () => {
      live = false;
    };
  }, [user]);
  const assignees = new Map<string, string>([[user.id, `Me (${user.name || user.email})`]]);
  for (const person of loaded.staff) if (!assignees.has(person.id)) assignees.set(person.id, person.name);
  for (const item of items)
    if (item.assignee && !assignees.has(item.assignee.id))
      assignees.set(item.assignee.id, item.assignee.name);
  return {
    products: loaded.products,
    suppliers: loaded.suppliers,
    assignees: [...assignees].map(([id, name]) => ({ id, name })),
  };
}

function FilterBar({
  filters,
  user,
  items,
  change,
  searchBox,
}: {
  filters: Filters;
  user: User;
  items: CaseSummary[];
  change: (changes: Partial<Filters>) => void;
  searchBox: React.RefObject<HTMLInputElement | null>;
}) {
  const [text, setText] = useState(filters.q);
  useEffect(() => setText(filters.q), [filters.q]);
  const options = useFilterOptions(user, items);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change({ q: text.trim() });
  };
  const select = (
    id: string,
    label: string,
    value: string,
    choices: { value: string; label: string }[],
    onChange: (value: string) => void,
  ) => (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
  const named = (list: Named[]) => list.map((n) => ({ value: n.id, label: n.name }));
  const withCurrent = (list: Named[], current: string) =>
    current && !list.some((n) => n.id === current) ? [...list, { id: current, name: 'Chosen before' }] : list;
  return (
    <div className="panel filters">
      <form className="search-row" onSubmit={submit}>
        <label htmlFor="case-search" className="visually-hidden">
          Search cases
        </label>
        <input
          id="case-search"
          ref={searchBox}
          type="search"
          placeholder="Search titles, summaries and reports  ( / )"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
        />
        <button type="submit">Search</button>
      </form>
      <div className="filter-row">
        {select(
          'filter-state',
          'State',
          filters.state,
          caseStates.map((s) => ({ value: s, label: stateLabels[s] })),
          (state) => change({ state }),
        )}
        {select(
          'filter-severity',
          'Severity',
          filters.severity,
          severities.map((s) => ({ value: s, label: s[0]?.toUpperCase() + s.slice(1) })),
          (severity) => change({ severity }),
        )}
        {select(
          'filter-product',
          'Product',
          filters.product,
          named(withCurrent(options.products, filters.product)),
          (product) => change({ product }),
        )}
        {staff(user) &&
          select(
            'filter-supplier',
            'Supplier',
            filters.supplier,
            named(withCurrent(options.suppliers, filters.supplier)),
            (supplier) => change({ supplier }),
          )}
        {staff(user) &&
          select(
            'filter-assignee',
            'Analyst',
            filters.assignee,
            named(withCurrent(options.assignees, filters.assignee)),
            (assignee) => change({ assignee }),
          )}
        <div className="filter">
          <label htmlFor="filter-sort">Sort by</label>
          <select
            id="filter-sort"
            value={filters.sort}
            onChange={(e) => change({ sort: e.target.value as Sort })}
          >
            {Object.entries(sorts).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <label className="check filter-check">
          <input
            type="checkbox"
            checked={filters.overdue}
            onChange={(e) => change({ overdue: e.target.checked })}
          />
          Overdue only
        </label>
        <label className="check filter-check">
          <input
            type="checkbox"
            checked={filters.open}
            onChange={(e) => change({ open: e.target.checked })}
          />
          Open only
        </label>
      </div>
      {addressOf(filters) !== '/cases' && (
        <button type="button" className="link-button" onClick={() => navigate('/cases')}>
          Clear filters
        </button>
      )}
    </div>
  );
}

function Deadline({ item }: { item: CaseSummary }) {
  if (!item.nextDueAt) return <span className="muted">—</span>;
  const left = timeLeft(item.nextDueAt);
  const overdue = item.overdue ?? left.overdue;
  return (
    <span className={overdue ? 'deadline overdue' : 'deadline'}>
      <time dateTime={item.nextDueAt}>{formatDate(item.nextDueAt)}</time>
      <br />
      <span>{overdue ? (left.overdue ? left.text : 'overdue') : left.text}</span>
    </span>
  );
}

function CaseTable({
  list,
  user,
  selected,
  onSelect,
  body,
  filters,
}: {
  list: CasePage;
  user: User;
  selected: number;
  onSelect: (index: number) => void;
  body: React.RefObject<HTMLTableSectionElement | null>;
  filters: Filters;
}) {
  const showProducts = list.items.some((item) => item.products !== undefined);
  const pages = Math.max(1, Math.ceil(list.total / PAGE));
  return (
    <>
      {list.items.length === 0 ? (
        <p className="empty">No cases match this view.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack inbox" id="cases">
            <caption>
              {list.totalCapped
                ? `At least ${list.total} cases`
                : `${list.total} case${list.total === 1 ? '' : 's'}`}
              {pages > 1 && ` · page ${filters.page + 1}${list.totalCapped ? '' : ` of ${pages}`}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">State</th>
                <th scope="col">Severity</th>
                {showProducts && <th scope="col">Products</th>}
                {staff(user) && <th scope="col">Analyst</th>}
                <th scope="col">Supplier</th>
                <th scope="col">Next deadline</th>
              </tr>
            </thead>
            <tbody ref={body}>
              {list.items.map((item, index) => (
                <tr
                  key={item.id}
                  className={[index === selected ? 'selected' : '', item.overdue ? 'is-overdue' : '']
                    .filter(Boolean)
                    .join(' ')}
                >
                  <td data-label="Case">
                    <Link to={`/cases/${item.id}`} className="case-link" onFocus={() => onSelect(index)}>
                      <span className="case-number">{item.number}</span> <Revealed text={item.title} />
                    </Link>
                  </td>
                  <td data-label="State">
                    <span className={`state state-${item.state}`}>{stateLabels[item.state]}</span>
                  </td>
                  <td data-label="Severity">
                    <SeverityBadge severity={item.severity} score={item.cvssScore} />
                  </td>
                  {showProducts && (
                    <td data-label="Products">
                      {item.products && item.products.length > 0
                        ? item.products.map((p, i) => (
                            <span key={p.id}>
                              {i > 0 && ', '}
                              <Revealed text={p.name} />
                            </span>
                          ))
                        : '—'}
                    </td>
                  )}
                  {staff(user) && (
                    <td data-label="Analyst">
                      {item.assignee ? <Revealed text={item.assignee.name} /> : '—'}
                    </td>
                  )}
                  <td data-label="Supplier">
                    {item.supplier ? <Revealed text={item.supplier.name} /> : '—'}
                  </td>
                  <td data-label="Next deadline">
                    <Deadline item={item} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <div className="actions">
          {filters.page > 0 && (
            <Link to={addressOf({ ...filters, page: filters.page - 1 })}>Previous page</Link>
          )}
          {filters.page + 1 < pages && (
            <Link to={addressOf({ ...filters, page: filters.page + 1 })}>Next page</Link>
          )}
        </div>
      )}
    </>
  );
}
