var q=Object.defineProperty;var R=(s,n,t)=>n in s?q(s,n,{enumerable:!0,configurable:!0,writable:!0,value:t}):s[n]=t;var $=(s,n,t)=>R(s,typeof n!="symbol"?n+"":n,t);import{r as l,j as e,c as U}from"./client-D7eU9wl9.js";let w=null;const T=new Set;function E(s){w=s,T.forEach(n=>n())}function D(){return w}function _(s){return T.add(s),()=>T.delete(s)}class N extends Error{constructor(n,t,o){super(n),this.code=t,this.field=o}}async function g(s,n){var d,h,c;const t=await fetch("/graphql",{method:"POST",headers:{"Content-Type":"application/json",...w?{Authorization:`Bearer ${w}`}:{}},body:JSON.stringify({query:s.toString(),variables:n})}),o=await t.json().catch(()=>null),p=(d=o==null?void 0:o.errors)==null?void 0:d[0];if(p){const m=((h=p.extensions)==null?void 0:h.code)??"INTERNAL";throw m==="UNAUTHENTICATED"&&E(null),new N(p.message,m,(c=p.extensions)==null?void 0:c.field)}if(!t.ok||!(o!=null&&o.data))throw new N(`the server answered ${t.status}`,"INTERNAL");return o.data}function C(s){const n={};for(const t of s){const o=t.field??"";n[o]=t.code==="CONFLICT"?"Someone changed this meanwhile: reload it and make your change again.":t.message}return n}const k="/app";function O(){return(window.location.pathname.startsWith(k)?window.location.pathname.slice(k.length):"/")||"/"}function M(s){window.history.pushState(null,"",k+s),window.dispatchEvent(new PopStateEvent("popstate"))}function B(){const[s,n]=l.useState(O());return l.useEffect(()=>{const t=()=>n(O());return window.addEventListener("popstate",t),()=>window.removeEventListener("popstate",t)},[]),s}function P({to:s,...n}){return e.jsx("a",{href:k+s,onClick:t=>{t.metaKey||t.ctrlKey||t.shiftKey||t.button!==0||(t.preventDefault(),M(s))},...n})}class f extends String{constructor(t,o){super(t);$(this,"__apiType");$(this,"value");$(this,"__meta__");this.value=t,this.__meta__=o}toString(){return this.value}}const F=new f(`
    mutation Logout {
  logout {
    errors {
      code
    }
  }
}
    `),K=new f(`
    query Customer($id: ID!) {
  customer(id: $id) {
    id
    name
    kind
    industry
    region
    website
    lifecycleStage
    version
    tags
    owner {
      name
    }
    emails {
      value
      label
    }
    phones {
      value
      label
    }
    contacts {
      id
      name
      title
    }
    customFields {
      key
      label
      text
      number
      date
      boolean
    }
    summary {
      lastContactAt
      activityCount
      openTaskCount
    }
  }
}
    `),W=new f(`
    query Timeline($id: ID!, $after: String) {
  customer(id: $id) {
    timeline(first: 20, after: $after) {
      edges {
        node {
          id
          kind
          title
          body
          occurredAt
          actor {
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `),G=new f(`
    mutation UpdateCustomer($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) {
    customer {
      id
      version
    }
    errors {
      field
      code
      message
    }
  }
}
    `),Y=new f(`
    mutation LogActivity($input: LogActivityInput!) {
  logActivity(input: $input) {
    activity {
      id
    }
    errors {
      field
      code
      message
    }
  }
}
    `),z=new f(`
    query Customers($search: String, $first: Int, $after: String, $last: Int, $before: String) {
  customers(
    filter: {search: $search}
    orderBy: {field: NAME}
    first: $first
    after: $after
    last: $last
    before: $before
  ) {
    totalCount
    edges {
      node {
        id
        name
        kind
        lifecycleStage
        region
        owner {
          name
        }
      }
    }
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
  }
}
    `),H=new f(`
    mutation CreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer {
      id
    }
    errors {
      field
      code
      message
    }
  }
}
    `),J=new f(`
    query Pools {
  leadPools {
    id
    name
    waiting
    claimLimit
  }
}
    `),V=new f(`
    query PoolLeads($pool: ID!) {
  leadPool(poolId: $pool, first: 50) {
    edges {
      node {
        id
        name
        companyName
        source
        createdAt
      }
    }
  }
}
    `),Q=new f(`
    mutation ClaimLead($input: ClaimLeadInput!) {
  claimLead(input: $input) {
    lead {
      id
    }
    errors {
      field
      code
      message
    }
  }
}
    `),X=new f(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    token
    errors {
      field
      code
      message
    }
  }
}
    `),Z=new f(`
    query MyDay {
  myTasks(first: 50) {
    edges {
      node {
        id
        subject
        dueAt
        overdue
        version
        customer {
          id
          name
        }
      }
    }
  }
  myPendingApprovals(first: 20) {
    edges {
      node {
        id
        title
        recordType
        submittedAt
      }
    }
  }
}
    `),ee=new f(`
    mutation CompleteTask($input: CompleteTaskInput!) {
  completeTask(input: $input) {
    activity {
      id
    }
    errors {
      field
      code
      message
    }
  }
}
    `),te=new f(`
    query Board {
  pipelines {
    id
    name
    isDefault
    stages {
      id
      name
      kind
      probability
    }
  }
  opportunities(first: 100, filter: {status: OPEN}) {
    edges {
      node {
        id
        name
        amount
        currency
        version
        pipeline {
          id
        }
        stage {
          id
        }
        customer {
          id
          name
        }
      }
    }
  }
}
    `),ne=new f(`
    mutation MoveOpportunity($input: MoveOpportunityInput!) {
  moveOpportunity(input: $input) {
    opportunity {
      id
      version
      stage {
        id
      }
    }
    errors {
      field
      code
      message
    }
  }
}
    `),se=new f(`
    query Me {
  me {
    id
    name
    email
    effectiveGrants {
      resource
      action
      scope
    }
  }
  consolePages {
    path
    title
    resource
  }
}
    `),ie={"\n  mutation Logout { logout { errors { code } } }\n":F,"\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id name kind industry region website lifecycleStage version tags\n      owner { name }\n      emails { value label }\n      phones { value label }\n      contacts { id name title }\n      customFields { key label text number date boolean }\n      summary { lastContactAt activityCount openTaskCount }\n    }\n  }\n":K,"\n  query Timeline($id: ID!, $after: String) {\n    customer(id: $id) {\n      timeline(first: 20, after: $after) {\n        edges { node { id kind title body occurredAt actor { name } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n":W,"\n  mutation UpdateCustomer($input: UpdateCustomerInput!) {\n    updateCustomer(input: $input) { customer { id version } errors { field code message } }\n  }\n":G,"\n  mutation LogActivity($input: LogActivityInput!) {\n    logActivity(input: $input) { activity { id } errors { field code message } }\n  }\n":Y,"\n  query Customers($search: String, $first: Int, $after: String, $last: Int, $before: String) {\n    customers(filter: { search: $search }, orderBy: { field: NAME }, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { node { id name kind lifecycleStage region owner { name } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n":z,"\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { customer { id } errors { field code message } }\n  }\n":H,"\n  query Pools { leadPools { id name waiting claimLimit } }\n":J,"\n  query PoolLeads($pool: ID!) {\n    leadPool(poolId: $pool, first: 50) { edges { node { id name companyName source createdAt } } }\n  }\n":V,"\n  mutation ClaimLead($input: ClaimLeadInput!) { claimLead(input: $input) { lead { id } errors { field code message } } }\n":Q,"\n  mutation Login($input: LoginInput!) {\n    login(input: $input) { token errors { field code message } }\n  }\n":X,"\n  query MyDay {\n    myTasks(first: 50) { edges { node { id subject dueAt overdue version customer { id name } } } }\n    myPendingApprovals(first: 20) { edges { node { id title recordType submittedAt } } }\n  }\n":Z,"\n  mutation CompleteTask($input: CompleteTaskInput!) {\n    completeTask(input: $input) { activity { id } errors { field code message } }\n  }\n":ee,"\n  query Board {\n    pipelines { id name isDefault stages { id name kind probability } }\n    opportunities(first: 100, filter: { status: OPEN }) {\n      edges { node { id name amount currency version pipeline { id } stage { id } customer { id name } } }\n    }\n  }\n":te,"\n  mutation MoveOpportunity($input: MoveOpportunityInput!) {\n    moveOpportunity(input: $input) { opportunity { id version stage { id } } errors { field code message } }\n  }\n":ne,"\n  query Me {\n    me { id name email effectiveGrants { resource action scope } }\n    consolePages { path title resource }\n  }\n":se};function x(s){return ie[s]??{}}const re=x(`
  query Me {
    me { id name email effectiveGrants { resource action scope } }
    consolePages { path title resource }
  }
`);function L(s,n,t){return s.effectiveGrants.some(o=>o.resource===n&&o.action===t)}const oe=x(`
  mutation Login($input: LoginInput!) {
    login(input: $input) { token errors { field code message } }
  }
`);function ae(){const[s,n]=l.useState(""),[t,o]=l.useState(""),[p,d]=l.useState(null),[h,c]=l.useState(!1);async function m(u){var r;u.preventDefault(),c(!0),d(null);try{const{login:a}=await g(oe,{input:{email:s,password:t}});a.token?E(a.token):d(((r=a.errors[0])==null?void 0:r.message)??"Wrong email or password.")}catch(a){d(a instanceof N?a.message:"The server cannot be reached.")}finally{c(!1)}}return e.jsxs("main",{className:"login",children:[e.jsx("h1",{children:"Log in"}),e.jsxs("form",{onSubmit:m,children:[e.jsxs("label",{children:["Email",e.jsx("input",{type:"email",autoComplete:"username",required:!0,value:s,onChange:u=>n(u.target.value)})]}),e.jsxs("label",{children:["Password",e.jsx("input",{type:"password",autoComplete:"current-password",required:!0,value:t,onChange:u=>o(u.target.value)})]}),p&&e.jsx("p",{role:"alert",className:"error",children:p}),e.jsx("button",{type:"submit",disabled:h,children:"Log in"})]})]})}function v(s){return s?new Date(s).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"}):""}function le(s,n){if(s==null)return"";const t=Number(s);return n?t.toLocaleString(void 0,{style:"currency",currency:n}):t.toLocaleString()}const ce=x(`
  query MyDay {
    myTasks(first: 50) { edges { node { id subject dueAt overdue version customer { id name } } } }
    myPendingApprovals(first: 20) { edges { node { id title recordType submittedAt } } }
  }
`),de=x(`
  mutation CompleteTask($input: CompleteTaskInput!) {
    completeTask(input: $input) { activity { id } errors { field code message } }
  }
`);function ue(s){const[n,t]=l.useState(null),[o,p]=l.useState(null),d=l.useCallback(()=>g(ce).then(t,c=>p(c.message)),[]);l.useEffect(()=>{d()},[d]);async function h(c,m){const{completeTask:u}=await g(de,{input:{id:c,version:m}});u.errors.length&&p(u.errors[0].message),d()}return e.jsxs("section",{"aria-labelledby":"day-title",children:[e.jsx("h1",{id:"day-title",children:"My day"}),o&&e.jsx("p",{role:"alert",className:"error",children:o}),e.jsx("h2",{children:"Tasks"}),n&&n.myTasks.edges.length===0&&e.jsx("p",{children:"No open tasks."}),e.jsx("ul",{className:"tasks",children:n==null?void 0:n.myTasks.edges.map(({node:c})=>e.jsxs("li",{className:c.overdue?"overdue":void 0,children:[e.jsx("button",{type:"button",onClick:()=>h(c.id,c.version),"aria-label":`Complete ${c.subject}`,children:"Done"}),e.jsx("span",{children:c.subject}),c.customer&&e.jsx(P,{to:`/customers/${encodeURIComponent(c.customer.id)}`,children:c.customer.name}),e.jsxs("time",{dateTime:c.dueAt??void 0,children:[c.overdue?"overdue since ":"",v(c.dueAt)]})]},c.id))}),e.jsx("h2",{children:"Waiting for my approval"}),n&&n.myPendingApprovals.edges.length===0&&e.jsx("p",{children:"Nothing waits for you."}),e.jsx("ul",{children:n==null?void 0:n.myPendingApprovals.edges.map(({node:c})=>e.jsxs("li",{children:[c.title," ",e.jsx("span",{className:"kind",children:c.recordType})," ",e.jsx("time",{children:v(c.submittedAt)})]},c.id))})]})}function b({label:s,error:n,...t}){const o=`f-${s.toLowerCase().replace(/\W+/g,"-")}`;return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:o,children:s}),e.jsx("input",{id:o,"aria-invalid":n?!0:void 0,"aria-describedby":n?`${o}-error`:void 0,...t}),n&&e.jsx("span",{id:`${o}-error`,className:"error",role:"alert",children:n})]})}const me=x(`
  query Customers($search: String, $first: Int, $after: String, $last: Int, $before: String) {
    customers(filter: { search: $search }, orderBy: { field: NAME }, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { node { id name kind lifecycleStage region owner { name } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`),pe=x(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { id } errors { field code message } }
  }
`),S=25;function he({session:s}){const[n,t]=l.useState(""),[o,p]=l.useState({first:S}),[d,h]=l.useState(null),[c,m]=l.useState(null);return l.useEffect(()=>{let u=!1;const r=setTimeout(()=>{g(me,{search:n||null,...o}).then(a=>!u&&h(a.customers),a=>!u&&m(a.message))},n?200:0);return()=>{u=!0,clearTimeout(r)}},[n,o]),e.jsxs("section",{"aria-labelledby":"customers-title",children:[e.jsx("h1",{id:"customers-title",children:"Customers"}),e.jsxs("div",{className:"toolbar",children:[e.jsx("input",{type:"search","aria-label":"Search customers",placeholder:"Search by name, email or phone",value:n,onChange:u=>{t(u.target.value),p({first:S})}}),d&&e.jsxs("span",{children:[d.totalCount," customers"]})]}),c&&e.jsx("p",{role:"alert",className:"error",children:c}),L(s,"customer","WRITE")&&e.jsx(ge,{}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{children:"Name"}),e.jsx("th",{children:"Kind"}),e.jsx("th",{children:"Stage"}),e.jsx("th",{children:"Region"}),e.jsx("th",{children:"Owner"})]})}),e.jsx("tbody",{children:d==null?void 0:d.edges.map(({node:u})=>{var r;return e.jsxs("tr",{children:[e.jsx("td",{children:e.jsx(P,{to:`/customers/${encodeURIComponent(u.id)}`,children:u.name})}),e.jsx("td",{children:u.kind.toLowerCase()}),e.jsx("td",{children:u.lifecycleStage.toLowerCase()}),e.jsx("td",{children:u.region}),e.jsx("td",{children:(r=u.owner)==null?void 0:r.name})]},u.id)})})]}),e.jsxs("nav",{className:"pager","aria-label":"Pages",children:[e.jsx("button",{type:"button",disabled:!(d!=null&&d.pageInfo.hasPreviousPage),onClick:()=>d&&p({last:S,before:d.pageInfo.startCursor??void 0}),children:"Previous"}),e.jsx("button",{type:"button",disabled:!(d!=null&&d.pageInfo.hasNextPage),onClick:()=>d&&p({first:S,after:d.pageInfo.endCursor??void 0}),children:"Next"})]})]})}function ge(){const[s,n]=l.useState(!1),[t,o]=l.useState(""),[p,d]=l.useState("COMPANY"),[h,c]=l.useState({});async function m(u){u.preventDefault();const{createCustomer:r}=await g(pe,{input:{name:t,kind:p}});r.customer?M(`/customers/${encodeURIComponent(r.customer.id)}`):c(C(r.errors))}return s?e.jsxs("form",{className:"card",onSubmit:m,"aria-label":"New customer",children:[e.jsx(b,{label:"Name",value:t,onChange:u=>o(u.target.value),error:h.name}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"new-kind",children:"Kind"}),e.jsxs("select",{id:"new-kind",value:p,onChange:u=>d(u.target.value),children:[e.jsx("option",{value:"COMPANY",children:"Company"}),e.jsx("option",{value:"PERSON",children:"Person"})]})]}),h[""]&&e.jsx("p",{role:"alert",className:"error",children:h[""]}),e.jsx("button",{type:"submit",children:"Create"}),e.jsx("button",{type:"button",onClick:()=>n(!1),children:"Cancel"})]}):e.jsx("button",{type:"button",onClick:()=>n(!0),children:"New customer"})}const fe=x(`
  query Customer($id: ID!) {
    customer(id: $id) {
      id name kind industry region website lifecycleStage version tags
      owner { name }
      emails { value label }
      phones { value label }
      contacts { id name title }
      customFields { key label text number date boolean }
      summary { lastContactAt activityCount openTaskCount }
    }
  }
`),xe=x(`
  query Timeline($id: ID!, $after: String) {
    customer(id: $id) {
      timeline(first: 20, after: $after) {
        edges { node { id kind title body occurredAt actor { name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`),ye=x(`
  mutation UpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) { customer { id version } errors { field code message } }
  }
`),je=x(`
  mutation LogActivity($input: LogActivityInput!) {
    logActivity(input: $input) { activity { id } errors { field code message } }
  }
`);function be({id:s,session:n}){const[t,o]=l.useState(void 0),[p,d]=l.useState(0),h=l.useCallback(()=>g(fe,{id:s}).then(m=>o(m.customer)),[s]);if(l.useEffect(()=>{h()},[h]),t===void 0)return e.jsx("p",{children:"Loading…"});if(t===null)return e.jsx("p",{role:"alert",children:"There is no such customer, or it is not yours to see."});const c=L(n,"customer","WRITE");return e.jsxs("article",{className:"c360","aria-labelledby":"c360-title",children:[e.jsx("h1",{id:"c360-title",children:t.name}),e.jsxs("div",{className:"columns",children:[e.jsxs("section",{className:"card","aria-label":"Details",children:[c?e.jsx(Ce,{customer:t,onSaved:h}):e.jsx(ve,{customer:t}),e.jsxs("dl",{className:"numbers",children:[e.jsx("dt",{children:"Activities"}),e.jsx("dd",{children:t.summary.activityCount??0}),e.jsx("dt",{children:"Open tasks"}),e.jsx("dd",{children:t.summary.openTaskCount??0}),e.jsx("dt",{children:"Last contact"}),e.jsx("dd",{children:v(t.summary.lastContactAt)||"never"})]}),e.jsx("h2",{children:"Contacts"}),e.jsx("ul",{children:t.contacts.map(m=>e.jsxs("li",{children:[m.name,m.title?`, ${m.title}`:""]},m.id))}),t.customFields.length>0&&e.jsx("dl",{children:t.customFields.map(m=>e.jsxs("div",{children:[e.jsx("dt",{children:m.label}),e.jsx("dd",{children:String(m.text??m.number??m.date??m.boolean??"")})]},m.key))})]}),e.jsxs("section",{"aria-label":"Timeline",className:"timeline",children:[L(n,"activity","WRITE")&&e.jsx($e,{customerId:t.id,onLogged:()=>{d(m=>m+1),h()}}),e.jsx(Se,{id:t.id},p)]})]})]})}function ve({customer:s}){var n;return e.jsxs("dl",{children:[e.jsx("dt",{children:"Kind"}),e.jsx("dd",{children:s.kind.toLowerCase()}),e.jsx("dt",{children:"Industry"}),e.jsx("dd",{children:s.industry}),e.jsx("dt",{children:"Region"}),e.jsx("dd",{children:s.region}),e.jsx("dt",{children:"Website"}),e.jsx("dd",{children:s.website}),e.jsx("dt",{children:"Owner"}),e.jsx("dd",{children:(n=s.owner)==null?void 0:n.name}),e.jsx("dt",{children:"Email"}),e.jsx("dd",{children:s.emails.map(t=>t.value).join(", ")}),e.jsx("dt",{children:"Phone"}),e.jsx("dd",{children:s.phones.map(t=>t.value).join(", ")})]})}function Ce({customer:s,onSaved:n}){const[t,o]=l.useState({name:s.name,industry:s.industry??"",region:s.region??"",website:s.website??""}),[p,d]=l.useState({}),[h,c]=l.useState(!1);async function m(r){r.preventDefault(),c(!1);const{updateCustomer:a}=await g(ye,{input:{id:s.id,version:s.version,...t}});d(C(a.errors)),a.customer&&(c(!0),n())}const u=r=>a=>o({...t,[r]:a.target.value});return e.jsxs("form",{onSubmit:m,"aria-label":"Edit customer",children:[e.jsx(b,{label:"Name",value:t.name,onChange:u("name"),error:p.name}),e.jsx(b,{label:"Industry",value:t.industry,onChange:u("industry"),error:p.industry}),e.jsx(b,{label:"Region",value:t.region,onChange:u("region"),error:p.region}),e.jsx(b,{label:"Website",value:t.website,onChange:u("website"),error:p.website}),p.version&&e.jsx("p",{role:"alert",className:"error",children:p.version}),h&&e.jsx("p",{role:"status",children:"Saved."}),e.jsx("button",{type:"submit",children:"Save"})]})}function $e({customerId:s,onLogged:n}){const[t,o]=l.useState("call"),[p,d]=l.useState(""),[h,c]=l.useState(""),[m,u]=l.useState({});async function r(a){a.preventDefault();const{logActivity:i}=await g(je,{input:{customerId:s,kind:t,subject:p,body:h||null}});u(C(i.errors)),i.activity&&(d(""),c(""),n())}return e.jsxs("form",{className:"card",onSubmit:r,"aria-label":"Log an activity",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"log-kind",children:"Kind"}),e.jsx("select",{id:"log-kind",value:t,onChange:a=>o(a.target.value),children:["call","email","meeting","visit","note"].map(a=>e.jsx("option",{value:a,children:a},a))})]}),e.jsx(b,{label:"Subject",value:p,onChange:a=>d(a.target.value),error:m.subject}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"log-body",children:"Notes"}),e.jsx("textarea",{id:"log-body",value:h,onChange:a=>c(a.target.value)})]}),e.jsx("button",{type:"submit",children:"Log"})]})}function Se({id:s}){const[n,t]=l.useState([]),[o,p]=l.useState(void 0),[d,h]=l.useState(null),c=l.useRef(null),m=l.useRef(!1),u=l.useCallback(async()=>{var r;if(!(m.current||o===null)){m.current=!0;try{const i=(r=(await g(xe,{id:s,after:o??null})).customer)==null?void 0:r.timeline;i&&(t(y=>[...y,...i.edges.map(j=>j.node)]),p(i.pageInfo.hasNextPage?i.pageInfo.endCursor:null))}catch(a){h(a instanceof N?a.message:"The timeline cannot be read.")}finally{m.current=!1}}},[s,o]);return l.useEffect(()=>{if(o===void 0){u();return}const r=new IntersectionObserver(a=>a.some(i=>i.isIntersecting)&&u());return c.current&&r.observe(c.current),()=>r.disconnect()},[u,o]),e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Timeline"}),d&&e.jsx("p",{role:"alert",className:"error",children:d}),e.jsx("ol",{className:"entries",children:n.map(r=>e.jsxs("li",{children:[e.jsx("span",{className:"kind",children:r.kind.replace(/_/g," ")})," ",e.jsx("strong",{children:r.title}),e.jsx("time",{dateTime:r.occurredAt,children:v(r.occurredAt)}),r.actor&&e.jsx("span",{className:"actor",children:r.actor.name}),r.body&&e.jsx("p",{children:r.body})]},r.id))}),o!==null&&e.jsx("div",{ref:c,className:"more",children:"Loading more…"})]})}const we=x(`
  query Board {
    pipelines { id name isDefault stages { id name kind probability } }
    opportunities(first: 100, filter: { status: OPEN }) {
      edges { node { id name amount currency version pipeline { id } stage { id } customer { id name } } }
    }
  }
`),Ne=x(`
  mutation MoveOpportunity($input: MoveOpportunityInput!) {
    moveOpportunity(input: $input) { opportunity { id version stage { id } } errors { field code message } }
  }
`);function ke({session:s}){const[n,t]=l.useState(null),[o,p]=l.useState(null),d=l.useCallback(()=>g(we).then(t,r=>p(r.message)),[]);l.useEffect(()=>{d()},[d]);const h=L(s,"opportunity","WRITE");async function c(r,a){if(r.stage.id===a)return;const{moveOpportunity:i}=await g(Ne,{input:{id:r.id,stageId:a,version:r.version}}),y=C(i.errors);p(Object.values(y)[0]??null),d()}const m=(n==null?void 0:n.pipelines.find(r=>r.isDefault))??(n==null?void 0:n.pipelines[0]);if(!n||!m)return e.jsx("p",{children:o??"Loading…"});const u=n.opportunities.edges.map(r=>r.node).filter(r=>r.pipeline.id===m.id);return e.jsxs("section",{"aria-labelledby":"board-title",children:[e.jsx("h1",{id:"board-title",children:m.name}),o&&e.jsx("p",{role:"alert",className:"error",children:o}),e.jsx("div",{className:"board",children:m.stages.filter(r=>r.kind==="OPEN").map(r=>e.jsx(Le,{title:`${r.name} (${r.probability} %)`,stageId:r.id,onDrop:a=>{const i=u.find(y=>y.id===a);i&&c(i,r.id)},children:u.filter(a=>a.stage.id===r.id).map(a=>e.jsxs("article",{className:"deal",draggable:h,"data-deal":a.id,onDragStart:i=>i.dataTransfer.setData("text/plain",a.id),children:[e.jsx("strong",{children:a.name}),e.jsx("span",{children:le(a.amount,a.currency)}),a.customer&&e.jsx(P,{to:`/customers/${encodeURIComponent(a.customer.id)}`,children:a.customer.name}),h&&e.jsx("select",{"aria-label":`Move ${a.name} to`,value:a.stage.id,onChange:i=>c(a,i.target.value),children:m.stages.filter(i=>i.kind==="OPEN").map(i=>e.jsx("option",{value:i.id,children:i.name},i.id))})]},a.id))},r.id))})]})}function Le({title:s,stageId:n,onDrop:t,children:o}){const[p,d]=l.useState(!1);return e.jsxs("section",{className:p?"column over":"column","aria-label":s,"data-stage":n,onDragOver:h=>{h.preventDefault(),d(!0)},onDragLeave:()=>d(!1),onDrop:h=>{h.preventDefault(),d(!1),t(h.dataTransfer.getData("text/plain"))},children:[e.jsx("h2",{children:s}),o]})}const Pe=x(`
  query Pools { leadPools { id name waiting claimLimit } }
`),Ie=x(`
  query PoolLeads($pool: ID!) {
    leadPool(poolId: $pool, first: 50) { edges { node { id name companyName source createdAt } } }
  }
`),Te=x(`
  mutation ClaimLead($input: ClaimLeadInput!) { claimLead(input: $input) { lead { id } errors { field code message } } }
`);function Ee(s){const[n,t]=l.useState([]),[o,p]=l.useState(null),[d,h]=l.useState([]),[c,m]=l.useState(null),u=l.useCallback(()=>g(Pe).then(i=>{t(i.leadPools),p(y=>{var j;return y??((j=i.leadPools[0])==null?void 0:j.id)??null})},i=>m({text:i.message,error:!0})),[]),r=l.useCallback(()=>{o&&g(Ie,{pool:o}).then(i=>h(i.leadPool.edges),i=>m({text:i.message,error:!0}))},[o]);l.useEffect(()=>{u()},[u]),l.useEffect(()=>{r()},[r]);async function a(i,y){const{claimLead:j}=await g(Te,{input:{leadId:i}}),A=Object.values(C(j.errors))[0];m(A?{text:A,error:!0}:{text:`${y} is yours now.`,error:!1}),u(),r()}return e.jsxs("section",{"aria-labelledby":"pool-title",children:[e.jsx("h1",{id:"pool-title",children:"Lead pool"}),c&&e.jsx("p",{role:c.error?"alert":"status",className:c.error?"error":void 0,children:c.text}),n.length===0&&e.jsx("p",{children:"You are in no lead pool."}),e.jsx("div",{className:"toolbar",role:"tablist","aria-label":"Pools",children:n.map(i=>e.jsxs("button",{type:"button",role:"tab","aria-selected":i.id===o,onClick:()=>p(i.id),children:[i.name," (",i.waiting," waiting",i.claimLimit?`, up to ${i.claimLimit} each`:"",")"]},i.id))}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{children:"Lead"}),e.jsx("th",{children:"Company"}),e.jsx("th",{children:"Source"}),e.jsx("th",{children:"Waiting since"}),e.jsx("th",{})]})}),e.jsx("tbody",{children:d.map(({node:i})=>e.jsxs("tr",{"data-lead":i.id,children:[e.jsx("td",{children:i.name}),e.jsx("td",{children:i.companyName}),e.jsx("td",{children:i.source}),e.jsx("td",{children:v(i.createdAt)}),e.jsx("td",{children:e.jsx("button",{type:"button",onClick:()=>a(i.id,i.name),"aria-label":`Claim ${i.name}`,children:"Claim"})})]},i.id))})]})]})}const Ae=x(`
  mutation Logout { logout { errors { code } } }
`),I={"/my-day":ue,"/customers":he,"/pipeline":ke,"/lead-pool":Ee};function De(){var a;const[s,n]=l.useState(D()),[t,o]=l.useState(null),[p,d]=l.useState(null),h=B();l.useEffect(()=>_(()=>n(D())),[]),l.useEffect(()=>{if(!s){o(null);return}g(re).then(i=>i.me&&o({...i.me,pages:i.consolePages}),i=>d(i.message))},[s]);const c=l.useCallback(async()=>{await g(Ae).catch(()=>{}),E(null)},[]);if(!s)return e.jsx(ae,{});if(!t)return e.jsx("main",{className:"loading",children:p??"Loading…"});const m=t.pages.filter(i=>i.path in I),u=h.match(/^\/customers\/([^/]+)$/),r=I[h]??(u?null:I[((a=m[0])==null?void 0:a.path)??"/customers"]);return e.jsxs("div",{className:"shell",children:[e.jsxs("header",{children:[e.jsx("strong",{children:"CRM"}),e.jsx("nav",{"aria-label":"Main",children:m.map(i=>e.jsx(P,{to:i.path,"aria-current":h===i.path?"page":void 0,children:i.title},i.path))}),e.jsx("span",{className:"who",children:t.name}),e.jsx("button",{type:"button",onClick:c,children:"Log out"})]}),e.jsx("main",{children:u?e.jsx(be,{id:decodeURIComponent(u[1]),session:t}):r&&e.jsx(r,{session:t})})]})}U(document.getElementById("root")).render(e.jsx(l.StrictMode,{children:e.jsx(De,{})}));
