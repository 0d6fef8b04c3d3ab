import { readFileSync } from 'node:fs';
import axios from 'axios';
const buf = readFileSync('/tmp/prof-doc.json');
const N=200000;
let t=process.hrtime.bigint(); for(let i=0;i<N;i++) JSON.parse(buf.toString('utf8')); console.log('toString+parse', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
const merged = axios.mergeConfig(axios.defaults, { maxRedirects: 0, validateStatus: () => true, transitional: { clarifyTimeoutError: true } });
const { headers, ...rest } = merged;
console.log(Object.keys(rest).length, 'keys');
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = {...rest, url:'x', method:'get'}; if(!c) throw 1;} console.log('spread', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = new axios.AxiosHeaders({'User-Agent':'a','Accept':'b','Accept-Encoding':'c','Authorization':'d'}); if(!c) throw 1;} console.log('AxiosHeaders', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = new AbortController(); const tm=setTimeout(()=>c.abort(), 30000); clearTimeout(tm);} console.log('AbortController+timer', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const u = new URL('http://127.0.0.1:1234/api/v2/runs/run-abcdefghijk'); if(!u.href.startsWith('h')) throw 1;} console.log('URL', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
const base2 = Object.fromEntries(Object.entries(rest));
console.log(Object.getPrototypeOf(rest), Object.keys(rest));
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = {...base2, url:'x', method:'get'}; if(!c) throw 1;} console.log('spread fromEntries', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
const mk = new Function('b', 'return function(){ return {' + Object.keys(rest).map(k=>`${JSON.stringify(k)}: b[${JSON.stringify(k)}]`).join(',') + '}; }')(rest);
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = Object.assign(mk(), {url:'x', method:'get'}); if(!c) throw 1;} console.log('factory', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
const d = { ...rest, allowAbsoluteUrls: true };
const keys = Object.keys(d);
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = {...d, url:'x', method:'get'}; if(!c) throw 1;} console.log('spread d', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = Object.assign({}, d); c.url='x'; c.method='get'; if(!c) throw 1;} console.log('assign d', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = {}; for (const k of keys) c[k]=d[k]; c.url='x'; c.method='get'; if(!c) throw 1;} console.log('loop d', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = structuredClone; if(!c) throw 1;} 
class Cfg { constructor(d){ Object.assign(this, d);} }
t=process.hrtime.bigint(); for(let i=0;i<N;i++) { const c = new Cfg(d); c.url='x'; if(!c) throw 1;} console.log('class assign', Number(process.hrtime.bigint()-t)/N/1e3,'µs');
