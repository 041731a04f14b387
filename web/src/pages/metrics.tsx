// Response-time metrics (staff): how fast cases are acknowledged, triaged and fixed, per month of
// receipt and per product, as charts and as tables. The range and product live in the address, so a
// view can be shared as a link.
import { type FormEvent, useState } from 'react';
import { API, get, query } from '../api.ts';
import { navigate, useSearch, useTitle } from '../router.tsx';
import type { User } from '../session.tsx';
import type { List, Product } from '../types.ts';
import { Field, Loaded, type Resource, useResource } from '../ui.tsx';
import { MonthChart } from './metrics/month-chart.tsx';
import {
  formatHours,
  type MeasureKey,
  type MeasureSet,
  type MeasureStats,
  measureHints,
  measureKeys,
  measureNames,
  monthLabel,
  type ResponseTimes,
} from './metrics/types.ts';
import './metrics/metrics.css';

/** Staff read the metrics; suppliers do not (the API answers 403). */
export const canReadMetrics = (user: User) => user.role !== 'supplier';

type Selection = { from: string; to: string; product: string };

export function Metrics() {
  useTitle('Metrics');
  const search = useSearch();
  const asked: Selection = {
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
    product: search.get('product') ?? '',
  };
  const key = query(asked);
  const report = useResource(
    () => get<ResponseTimes>(`${API}/metrics/response-times${key}`),
    `metrics:${key}`,
  );
  const products = useResource(() => get<List<Product>>(`${API}/products?limit=500`), 'products');
  const shown = report.state === 'ready' ? report.data : null;
  const current: Selection = {
    from: asked.from || shown?.from || '',
    to: asked.to || shown?.to || '',
    product: asked.product,
  };

  return (
    <section className="metrics">
      <h1>Metrics</h1>
      <p className="hint">
        How fast cases move: hours from a case&apos;s first report to its acknowledgement, its triage decision
        and an available fix. Cases count in the month their first report arrived; each product counts the
        cases that affect it.
      </p>
      <RangeForm
        key={`${current.from}|${current.to}|${current.product}`}
        initial={current}
        products={products.state === 'ready' ? products.data.items : []}
      />
      <Loaded resource={report}>{(data) => <Report data={data} products={products} />}</Loaded>
    </section>
  );
}

function RangeForm({ initial, products }: { initial: Selection; products: Product[] }) {
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [product, setProduct] = useState(initial.product);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/metrics${query({ from, to, product })}`);
  };
  return (
    <form className="panel range-form" onSubmit={submit} aria-label="Range and product">
      <Field label="From month" hint="First month of receipt">
        {(props) => (
          <input {...props} type="month" value={from} onChange={(e) => setFrom(e.target.value)} required />
        )}
      </Field>
      <Field label="To month" hint="Last month, included">
        {(props) => (
          <input {...props} type="month" value={to} onChange={(e) => setTo(e.target.value)} required />
        )}
      </Field>
      <Field label="Product" hint="Cases affecting it">
        {(props) => (
          <select {...props} value={product} onChange={(e) => setProduct(e.target.value)}>
            <option value="">All products</option>
            {products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit">Show</button>
      </div>
    </form>
  );
}

const isEmpty = (set: MeasureSet) => measureKeys.every((k) => set[k].count === 0 && set[k].open === 0);

function Report({ data, products }: { data: ResponseTimes; products: Resource<List<Product>> }) {
  const productName =
    data.productId && products.state === 'ready'
      ? products.data.items.find((p) => p.id === data.productId)?.name
      : undefined;
  const range = `${monthLabel(data.from, 'long')} to ${monthLabel(data.to, 'long')}`;
  const scope = data.productId ? ` affecting ${productName ?? 'the chosen product'}` : '';
  if (isEmpty(data.overall)) {
    return (
      <div className="panel empty-metrics" role="status">
        <p className="empty">
          No case{scope} was received from {range}.
        </p>
        <p className="hint">
          Pick a longer range or another product; cases count in the month their first report arrived.
        </p>
      </div>
    );
  }
  return (
    <>
      <p className="hint" id="metrics-scope">
        Cases{scope} received from {range}, months in the {data.timeZone} time zone of the response policy.
      </p>
      <Overview overall={data.overall} />
      {measureKeys.map((key) => (
        <MeasureSection key={key} measure={key} months={data.months} />
      ))}
      <ProductTable products={data.products} />
    </>
  );
}

function Overview({ overall }: { overall: MeasureSet }) {
  return (
    <div className="metric-cards">
      {measureKeys.map((key) => {
        const s = overall[key];
        return (
          <div key={key} className="panel metric-card" id={`overall-${key}`}>
            <h2>{measureNames[key]}</h2>
            <p className="big">
              <span className="visually-hidden">Median </span>
              {formatHours(s.medianHours)}
              {s.medianHours !== null && s.medianHours >= 48 && (
                <span className="days"> ≈ {(s.medianHours / 24).toFixed(1)} days</span>
              )}
            </p>
            <p className="muted">
              median · 90th percentile {formatHours(s.p90Hours)}
              <br />
              {s.count} reached · {s.open} open
            </p>
          </div>
        );
      })}
    </div>
  );
}

function MeasureSection({ measure, months }: { measure: MeasureKey; months: ResponseTimes['months'] }) {
  const name = measureNames[measure];
  return (
    <section className="measure" aria-labelledby={`measure-${measure}`}>
      <h2 id={`measure-${measure}`}>{name} per month</h2>
      <p className="hint">{measureHints[measure]}</p>
      <div className="measure-body">
        <figure className="panel chart">
          <MonthChart title={name} points={months.map((m) => ({ month: m.month, stats: m[measure] }))} />
          <figcaption className="legend">
            <span className="key median-key" aria-hidden="true" /> median
            <span className="key p90-key" aria-hidden="true" /> 90th percentile
          </figcaption>
        </figure>
        <div className="table-wrap">
          <table className="metrics-table" id={`months-${measure}`}>
            <caption>{name}, hours from the first report; P90 is the 90th percentile</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="num">
                  Median
                </th>
                <th scope="col" className="num">
                  <abbr title="90th percentile">P90</abbr>
                </th>
                <th scope="col" className="num">
                  Reached
                </th>
                <th scope="col" className="num">
                  Open
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <MonthRow key={m.month} month={m.month} stats={m[measure]} />
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function MonthRow({ month, stats }: { month: string; stats: MeasureStats }) {
  return (
    <tr className={stats.count === 0 && stats.open === 0 ? 'quiet' : undefined}>
      <th scope="row" className="nowrap">
        {monthLabel(month)}
      </th>
      <td className="num">{formatHours(stats.medianHours)}</td>
      <td className="num">{formatHours(stats.p90Hours)}</td>
      <td className="num">{stats.count}</td>
      <td className="num">{stats.open}</td>
    </tr>
  );
}

function ProductTable({ products }: { products: ResponseTimes['products'] }) {
  return (
    <section aria-labelledby="per-product">
      <h2 id="per-product">Per product</h2>
      {products.length === 0 ? (
        <p className="empty">None of these cases is linked to a product yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack" id="products-metrics">
            <caption>
              Median and 90th percentile in hours; a case affecting two products counts in both
            </caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                {measureKeys.map((key) => (
                  <th key={key} scope="col">
                    {measureNames[key]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.productId}>
                  <td data-label="Product">{p.productName}</td>
                  {measureKeys.map((key) => (
                    <td key={key} data-label={measureNames[key]}>
                      <StatsCell stats={p[key]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function StatsCell({ stats }: { stats: MeasureStats }) {
  if (stats.count === 0) return <span className="muted">none reached · {stats.open} open</span>;
  return (
    <span>
      <span className="nowrap">
        {formatHours(stats.medianHours)} <span className="muted">median</span>
      </span>{' '}
      ·{' '}
      <span className="nowrap">
        {formatHours(stats.p90Hours)} <span className="muted">p90</span>
      </span>
      <br />
      <span className="muted">
        {stats.count} reached · {stats.open} open
      </span>
    </span>
  );
}
