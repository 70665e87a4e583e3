var U=Object.defineProperty;var B=(s,n,t)=>n in s?U(s,n,{enumerable:!0,configurable:!0,writable:!0,value:t}):s[n]=t;var w=(s,n,t)=>B(s,typeof n!="symbol"?n+"":n,t);import{r as a,j as e,c as _}from"./client-D7eU9wl9.js";let N=null;const A=new Set;function D(s){N=s,A.forEach(n=>n())}function R(){return N}function F(s){return A.add(s),()=>A.delete(s)}class T extends Error{constructor(n,t,r){super(n),this.code=t,this.field=r}}async function x(s,n){var c,h,u;const t=await fetch("/graphql",{method:"POST",headers:{"Content-Type":"application/json",...N?{Authorization:`Bearer ${N}`}:{}},body:JSON.stringify({query:s.toString(),variables:n})}),r=await t.json().catch(()=>null),p=(c=r==null?void 0:r.errors)==null?void 0:c[0];if(p){const m=((h=p.extensions)==null?void 0:h.code)??"INTERNAL";throw m==="UNAUTHENTICATED"&&D(null),new T(p.message,m,(u=p.extensions)==null?void 0:u.field)}if(!t.ok||!(r!=null&&r.data))throw new T(`the server answered ${t.status}`,"INTERNAL");return r.data}function k(s){const n={};for(const t of s){const r=t.field??"";n[r]=t.code==="CONFLICT"?"Someone changed this meanwhile: reload it and make your change again.":t.message}return n}const I="/app";function q(){return(window.location.pathname.startsWith(I)?window.location.pathname.slice(I.length):"/")||"/"}function O(s){window.history.pushState(null,"",I+s),window.dispatchEvent(new PopStateEvent("popstate"))}function K(){const[s,n]=a.useState(q());return a.useEffect(()=>{const t=()=>n(q());return window.addEventListener("popstate",t),()=>window.removeEventListener("popstate",t)},[]),s}function $({to:s,...n}){return e.jsx("a",{href:I+s,onClick:t=>{t.metaKey||t.ctrlKey||t.shiftKey||t.button!==0||(t.preventDefault(),O(s))},...n})}class f extends String{constructor(t,r){super(t);w(this,"__apiType");w(this,"value");w(this,"__meta__");this.value=t,this.__meta__=r}toString(){return this.value}}new f(`
    fragment TicketRow on Ticket {
  id
  number
  subject
  status
  priority
  customer {
    id
    name
  }
  assignee {
    name
  }
  firstResponse {
    dueAt
    remainingMinutes
    breached
  }
  resolution {
    dueAt
    remainingMinutes
    breached
  }
}
    `,{fragmentName:"TicketRow"});const W=new f(`
    mutation Logout {
  logout {
    errors {
      code
    }
  }
}
    `),G=new f(`
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
    `),Q=new f(`
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
    `),Y=new f(`
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
    `),z=new f(`
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
    `),H=new f(`
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
    `),J=new f(`
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
    `),V=new f(`
    query Pools {
  leadPools {
    id
    name
    waiting
    claimLimit
  }
}
    `),X=new f(`
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
    `),Z=new f(`
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
    `),ee=new f(`
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
    `),te=new f(`
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
    `),ne=new f(`
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
    `),se=new f(`
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
    `),ie=new f(`
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
    `),re=new f(`
    query TicketQueue($queue: ID, $atRisk: Boolean!) {
  queues {
    id
    name
  }
  tickets(first: 50, filter: {queueId: $queue, open: true}) @skip(if: $atRisk) {
    edges {
      node {
        ...TicketRow
      }
    }
  }
  ticketsAtRisk(first: 50, queueId: $queue) @include(if: $atRisk) {
    edges {
      node {
        ...TicketRow
      }
    }
  }
}
    fragment TicketRow on Ticket {
  id
  number
  subject
  status
  priority
  customer {
    id
    name
  }
  assignee {
    name
  }
  firstResponse {
    dueAt
    remainingMinutes
    breached
  }
  resolution {
    dueAt
    remainingMinutes
    breached
  }
}`),oe=new f(`
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
    `),ae={"\n  mutation Logout { logout { errors { code } } }\n":W,"\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id name kind industry region website lifecycleStage version tags\n      owner { name }\n      emails { value label }\n      phones { value label }\n      contacts { id name title }\n      customFields { key label text number date boolean }\n      summary { lastContactAt activityCount openTaskCount }\n    }\n  }\n":G,"\n  query Timeline($id: ID!, $after: String) {\n    customer(id: $id) {\n      timeline(first: 20, after: $after) {\n        edges { node { id kind title body occurredAt actor { name } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n":Q,"\n  mutation UpdateCustomer($input: UpdateCustomerInput!) {\n    updateCustomer(input: $input) { customer { id version } errors { field code message } }\n  }\n":Y,"\n  mutation LogActivity($input: LogActivityInput!) {\n    logActivity(input: $input) { activity { id } errors { field code message } }\n  }\n":z,"\n  query Customers($search: String, $first: Int, $after: String, $last: Int, $before: String) {\n    customers(filter: { search: $search }, orderBy: { field: NAME }, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { node { id name kind lifecycleStage region owner { name } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n":H,"\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { customer { id } errors { field code message } }\n  }\n":J,"\n  query Pools { leadPools { id name waiting claimLimit } }\n":V,"\n  query PoolLeads($pool: ID!) {\n    leadPool(poolId: $pool, first: 50) { edges { node { id name companyName source createdAt } } }\n  }\n":X,"\n  mutation ClaimLead($input: ClaimLeadInput!) { claimLead(input: $input) { lead { id } errors { field code message } } }\n":Z,"\n  mutation Login($input: LoginInput!) {\n    login(input: $input) { token errors { field code message } }\n  }\n":ee,"\n  query MyDay {\n    myTasks(first: 50) { edges { node { id subject dueAt overdue version customer { id name } } } }\n    myPendingApprovals(first: 20) { edges { node { id title recordType submittedAt } } }\n  }\n":te,"\n  mutation CompleteTask($input: CompleteTaskInput!) {\n    completeTask(input: $input) { activity { id } errors { field code message } }\n  }\n":ne,"\n  query Board {\n    pipelines { id name isDefault stages { id name kind probability } }\n    opportunities(first: 100, filter: { status: OPEN }) {\n      edges { node { id name amount currency version pipeline { id } stage { id } customer { id name } } }\n    }\n  }\n":se,"\n  mutation MoveOpportunity($input: MoveOpportunityInput!) {\n    moveOpportunity(input: $input) { opportunity { id version stage { id } } errors { field code message } }\n  }\n":ie,"\n  query TicketQueue($queue: ID, $atRisk: Boolean!) {\n    queues { id name }\n    tickets(first: 50, filter: { queueId: $queue, open: true }) @skip(if: $atRisk) { edges { node { ...TicketRow } } }\n    ticketsAtRisk(first: 50, queueId: $queue) @include(if: $atRisk) { edges { node { ...TicketRow } } }\n  }\n  fragment TicketRow on Ticket {\n    id number subject status priority\n    customer { id name }\n    assignee { name }\n    firstResponse { dueAt remainingMinutes breached }\n    resolution { dueAt remainingMinutes breached }\n  }\n":re,"\n  query Me {\n    me { id name email effectiveGrants { resource action scope } }\n    consolePages { path title resource }\n  }\n":oe};function j(s){return ae[s]??{}}const le=j(`
  query Me {
    me { id name email effectiveGrants { resource action scope } }
    consolePages { path title resource }
  }
`);function P(s,n,t){return s.effectiveGrants.some(r=>r.resource===n&&r.action===t)}const ce=j(`
  mutation Login($input: LoginInput!) {
    login(input: $input) { token errors { field code message } }
  }
`);function ue(){const[s,n]=a.useState(""),[t,r]=a.useState(""),[p,c]=a.useState(null),[h,u]=a.useState(!1);async function m(d){var o;d.preventDefault(),u(!0),c(null);try{const{login:l}=await x(ce,{input:{email:s,password:t}});l.token?D(l.token):c(((o=l.errors[0])==null?void 0:o.message)??"Wrong email or password.")}catch(l){c(l instanceof T?l.message:"The server cannot be reached.")}finally{u(!1)}}return e.jsxs("main",{className:"login",children:[e.jsx("h1",{children:"Log in"}),e.jsxs("form",{onSubmit:m,children:[e.jsxs("label",{children:["Email",e.jsx("input",{type:"email",autoComplete:"username",required:!0,value:s,onChange:d=>n(d.target.value)})]}),e.jsxs("label",{children:["Password",e.jsx("input",{type:"password",autoComplete:"current-password",required:!0,value:t,onChange:d=>r(d.target.value)})]}),p&&e.jsx("p",{role:"alert",className:"error",children:p}),e.jsx("button",{type:"submit",disabled:h,children:"Log in"})]})]})}function C(s){return s?new Date(s).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"}):""}function de(s,n){if(s==null)return"";const t=Number(s);return n?t.toLocaleString(void 0,{style:"currency",currency:n}):t.toLocaleString()}const me=j(`
  query MyDay {
    myTasks(first: 50) { edges { node { id subject dueAt overdue version customer { id name } } } }
    myPendingApprovals(first: 20) { edges { node { id title recordType submittedAt } } }
  }
`),pe=j(`
  mutation CompleteTask($input: CompleteTaskInput!) {
    completeTask(input: $input) { activity { id } errors { field code message } }
  }
`);function he(s){const[n,t]=a.useState(null),[r,p]=a.useState(null),c=a.useCallback(()=>x(me).then(t,u=>p(u.message)),[]);a.useEffect(()=>{c()},[c]);async function h(u,m){const{completeTask:d}=await x(pe,{input:{id:u,version:m}});d.errors.length&&p(d.errors[0].message),c()}return e.jsxs("section",{"aria-labelledby":"day-title",children:[e.jsx("h1",{id:"day-title",children:"My day"}),r&&e.jsx("p",{role:"alert",className:"error",children:r}),e.jsx("h2",{children:"Tasks"}),n&&n.myTasks.edges.length===0&&e.jsx("p",{children:"No open tasks."}),e.jsx("ul",{className:"tasks",children:n==null?void 0:n.myTasks.edges.map(({node:u})=>e.jsxs("li",{className:u.overdue?"overdue":void 0,children:[e.jsx("button",{type:"button",onClick:()=>h(u.id,u.version),"aria-label":`Complete ${u.subject}`,children:"Done"}),e.jsx("span",{children:u.subject}),u.customer&&e.jsx($,{to:`/customers/${encodeURIComponent(u.customer.id)}`,children:u.customer.name}),e.jsxs("time",{dateTime:u.dueAt??void 0,children:[u.overdue?"overdue since ":"",C(u.dueAt)]})]},u.id))}),e.jsx("h2",{children:"Waiting for my approval"}),n&&n.myPendingApprovals.edges.length===0&&e.jsx("p",{children:"Nothing waits for you."}),e.jsx("ul",{children:n==null?void 0:n.myPendingApprovals.edges.map(({node:u})=>e.jsxs("li",{children:[u.title," ",e.jsx("span",{className:"kind",children:u.recordType})," ",e.jsx("time",{children:C(u.submittedAt)})]},u.id))})]})}function b({label:s,error:n,...t}){const r=`f-${s.toLowerCase().replace(/\W+/g,"-")}`;return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:r,children:s}),e.jsx("input",{id:r,"aria-invalid":n?!0:void 0,"aria-describedby":n?`${r}-error`:void 0,...t}),n&&e.jsx("span",{id:`${r}-error`,className:"error",role:"alert",children:n})]})}const ge=j(`
  query Customers($search: String, $first: Int, $after: String, $last: Int, $before: String) {
    customers(filter: { search: $search }, orderBy: { field: NAME }, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { node { id name kind lifecycleStage region owner { name } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`),fe=j(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { id } errors { field code message } }
  }
`),S=25;function xe({session:s}){const[n,t]=a.useState(""),[r,p]=a.useState({first:S}),[c,h]=a.useState(null),[u,m]=a.useState(null);return a.useEffect(()=>{let d=!1;const o=setTimeout(()=>{x(ge,{search:n||null,...r}).then(l=>!d&&h(l.customers),l=>!d&&m(l.message))},n?200:0);return()=>{d=!0,clearTimeout(o)}},[n,r]),e.jsxs("section",{"aria-labelledby":"customers-title",children:[e.jsx("h1",{id:"customers-title",children:"Customers"}),e.jsxs("div",{className:"toolbar",children:[e.jsx("input",{type:"search","aria-label":"Search customers",placeholder:"Search by name, email or phone",value:n,onChange:d=>{t(d.target.value),p({first:S})}}),c&&e.jsxs("span",{children:[c.totalCount," customers"]})]}),u&&e.jsx("p",{role:"alert",className:"error",children:u}),P(s,"customer","WRITE")&&e.jsx(je,{}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{children:"Name"}),e.jsx("th",{children:"Kind"}),e.jsx("th",{children:"Stage"}),e.jsx("th",{children:"Region"}),e.jsx("th",{children:"Owner"})]})}),e.jsx("tbody",{children:c==null?void 0:c.edges.map(({node:d})=>{var o;return e.jsxs("tr",{children:[e.jsx("td",{children:e.jsx($,{to:`/customers/${encodeURIComponent(d.id)}`,children:d.name})}),e.jsx("td",{children:d.kind.toLowerCase()}),e.jsx("td",{children:d.lifecycleStage.toLowerCase()}),e.jsx("td",{children:d.region}),e.jsx("td",{children:(o=d.owner)==null?void 0:o.name})]},d.id)})})]}),e.jsxs("nav",{className:"pager","aria-label":"Pages",children:[e.jsx("button",{type:"button",disabled:!(c!=null&&c.pageInfo.hasPreviousPage),onClick:()=>c&&p({last:S,before:c.pageInfo.startCursor??void 0}),children:"Previous"}),e.jsx("button",{type:"button",disabled:!(c!=null&&c.pageInfo.hasNextPage),onClick:()=>c&&p({first:S,after:c.pageInfo.endCursor??void 0}),children:"Next"})]})]})}function je(){const[s,n]=a.useState(!1),[t,r]=a.useState(""),[p,c]=a.useState("COMPANY"),[h,u]=a.useState({});async function m(d){d.preventDefault();const{createCustomer:o}=await x(fe,{input:{name:t,kind:p}});o.customer?O(`/customers/${encodeURIComponent(o.customer.id)}`):u(k(o.errors))}return s?e.jsxs("form",{className:"card",onSubmit:m,"aria-label":"New customer",children:[e.jsx(b,{label:"Name",value:t,onChange:d=>r(d.target.value),error:h.name}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"new-kind",children:"Kind"}),e.jsxs("select",{id:"new-kind",value:p,onChange:d=>c(d.target.value),children:[e.jsx("option",{value:"COMPANY",children:"Company"}),e.jsx("option",{value:"PERSON",children:"Person"})]})]}),h[""]&&e.jsx("p",{role:"alert",className:"error",children:h[""]}),e.jsx("button",{type:"submit",children:"Create"}),e.jsx("button",{type:"button",onClick:()=>n(!1),children:"Cancel"})]}):e.jsx("button",{type:"button",onClick:()=>n(!0),children:"New customer"})}const ye=j(`
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
`),be=j(`
  query Timeline($id: ID!, $after: String) {
    customer(id: $id) {
      timeline(first: 20, after: $after) {
        edges { node { id kind title body occurredAt actor { name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`),ve=j(`
  mutation UpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) { customer { id version } errors { field code message } }
  }
`),Ce=j(`
  mutation LogActivity($input: LogActivityInput!) {
    logActivity(input: $input) { activity { id } errors { field code message } }
  }
`);function ke({id:s,session:n}){const[t,r]=a.useState(void 0),[p,c]=a.useState(0),h=a.useCallback(()=>x(ye,{id:s}).then(m=>r(m.customer)),[s]);if(a.useEffect(()=>{h()},[h]),t===void 0)return e.jsx("p",{children:"Loading…"});if(t===null)return e.jsx("p",{role:"alert",children:"There is no such customer, or it is not yours to see."});const u=P(n,"customer","WRITE");return e.jsxs("article",{className:"c360","aria-labelledby":"c360-title",children:[e.jsx("h1",{id:"c360-title",children:t.name}),e.jsxs("div",{className:"columns",children:[e.jsxs("section",{className:"card","aria-label":"Details",children:[u?e.jsx(we,{customer:t,onSaved:h}):e.jsx($e,{customer:t}),e.jsxs("dl",{className:"numbers",children:[e.jsx("dt",{children:"Activities"}),e.jsx("dd",{children:t.summary.activityCount??0}),e.jsx("dt",{children:"Open tasks"}),e.jsx("dd",{children:t.summary.openTaskCount??0}),e.jsx("dt",{children:"Last contact"}),e.jsx("dd",{children:C(t.summary.lastContactAt)||"never"})]}),e.jsx("h2",{children:"Contacts"}),e.jsx("ul",{children:t.contacts.map(m=>e.jsxs("li",{children:[m.name,m.title?`, ${m.title}`:""]},m.id))}),t.customFields.length>0&&e.jsx("dl",{children:t.customFields.map(m=>e.jsxs("div",{children:[e.jsx("dt",{children:m.label}),e.jsx("dd",{children:String(m.text??m.number??m.date??m.boolean??"")})]},m.key))})]}),e.jsxs("section",{"aria-label":"Timeline",className:"timeline",children:[P(n,"activity","WRITE")&&e.jsx(Se,{customerId:t.id,onLogged:()=>{c(m=>m+1),h()}}),e.jsx(Ne,{id:t.id},p)]})]})]})}function $e({customer:s}){var n;return e.jsxs("dl",{children:[e.jsx("dt",{children:"Kind"}),e.jsx("dd",{children:s.kind.toLowerCase()}),e.jsx("dt",{children:"Industry"}),e.jsx("dd",{children:s.industry}),e.jsx("dt",{children:"Region"}),e.jsx("dd",{children:s.region}),e.jsx("dt",{children:"Website"}),e.jsx("dd",{children:s.website}),e.jsx("dt",{children:"Owner"}),e.jsx("dd",{children:(n=s.owner)==null?void 0:n.name}),e.jsx("dt",{children:"Email"}),e.jsx("dd",{children:s.emails.map(t=>t.value).join(", ")}),e.jsx("dt",{children:"Phone"}),e.jsx("dd",{children:s.phones.map(t=>t.value).join(", ")})]})}function we({customer:s,onSaved:n}){const[t,r]=a.useState({name:s.name,industry:s.industry??"",region:s.region??"",website:s.website??""}),[p,c]=a.useState({}),[h,u]=a.useState(!1);async function m(o){o.preventDefault(),u(!1);const{updateCustomer:l}=await x(ve,{input:{id:s.id,version:s.version,...t}});c(k(l.errors)),l.customer&&(u(!0),n())}const d=o=>l=>r({...t,[o]:l.target.value});return e.jsxs("form",{onSubmit:m,"aria-label":"Edit customer",children:[e.jsx(b,{label:"Name",value:t.name,onChange:d("name"),error:p.name}),e.jsx(b,{label:"Industry",value:t.industry,onChange:d("industry"),error:p.industry}),e.jsx(b,{label:"Region",value:t.region,onChange:d("region"),error:p.region}),e.jsx(b,{label:"Website",value:t.website,onChange:d("website"),error:p.website}),p.version&&e.jsx("p",{role:"alert",className:"error",children:p.version}),h&&e.jsx("p",{role:"status",children:"Saved."}),e.jsx("button",{type:"submit",children:"Save"})]})}function Se({customerId:s,onLogged:n}){const[t,r]=a.useState("call"),[p,c]=a.useState(""),[h,u]=a.useState(""),[m,d]=a.useState({});async function o(l){l.preventDefault();const{logActivity:i}=await x(Ce,{input:{customerId:s,kind:t,subject:p,body:h||null}});d(k(i.errors)),i.activity&&(c(""),u(""),n())}return e.jsxs("form",{className:"card",onSubmit:o,"aria-label":"Log an activity",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"log-kind",children:"Kind"}),e.jsx("select",{id:"log-kind",value:t,onChange:l=>r(l.target.value),children:["call","email","meeting","visit","note"].map(l=>e.jsx("option",{value:l,children:l},l))})]}),e.jsx(b,{label:"Subject",value:p,onChange:l=>c(l.target.value),error:m.subject}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"log-body",children:"Notes"}),e.jsx("textarea",{id:"log-body",value:h,onChange:l=>u(l.target.value)})]}),e.jsx("button",{type:"submit",children:"Log"})]})}function Ne({id:s}){const[n,t]=a.useState([]),[r,p]=a.useState(void 0),[c,h]=a.useState(null),u=a.useRef(null),m=a.useRef(!1),d=a.useCallback(async()=>{var o;if(!(m.current||r===null)){m.current=!0;try{const i=(o=(await x(be,{id:s,after:r??null})).customer)==null?void 0:o.timeline;i&&(t(g=>[...g,...i.edges.map(y=>y.node)]),p(i.pageInfo.hasNextPage?i.pageInfo.endCursor:null))}catch(l){h(l instanceof T?l.message:"The timeline cannot be read.")}finally{m.current=!1}}},[s,r]);return a.useEffect(()=>{if(r===void 0){d();return}const o=new IntersectionObserver(l=>l.some(i=>i.isIntersecting)&&d());return u.current&&o.observe(u.current),()=>o.disconnect()},[d,r]),e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Timeline"}),c&&e.jsx("p",{role:"alert",className:"error",children:c}),e.jsx("ol",{className:"entries",children:n.map(o=>e.jsxs("li",{children:[e.jsx("span",{className:"kind",children:o.kind.replace(/_/g," ")})," ",e.jsx("strong",{children:o.title}),e.jsx("time",{dateTime:o.occurredAt,children:C(o.occurredAt)}),o.actor&&e.jsx("span",{className:"actor",children:o.actor.name}),o.body&&e.jsx("p",{children:o.body})]},o.id))}),r!==null&&e.jsx("div",{ref:u,className:"more",children:"Loading more…"})]})}const Te=j(`
  query Board {
    pipelines { id name isDefault stages { id name kind probability } }
    opportunities(first: 100, filter: { status: OPEN }) {
      edges { node { id name amount currency version pipeline { id } stage { id } customer { id name } } }
    }
  }
`),Ie=j(`
  mutation MoveOpportunity($input: MoveOpportunityInput!) {
    moveOpportunity(input: $input) { opportunity { id version stage { id } } errors { field code message } }
  }
`);function Pe({session:s}){const[n,t]=a.useState(null),[r,p]=a.useState(null),c=a.useCallback(()=>x(Te).then(t,o=>p(o.message)),[]);a.useEffect(()=>{c()},[c]);const h=P(s,"opportunity","WRITE");async function u(o,l){if(o.stage.id===l)return;const{moveOpportunity:i}=await x(Ie,{input:{id:o.id,stageId:l,version:o.version}}),g=k(i.errors);p(Object.values(g)[0]??null),c()}const m=(n==null?void 0:n.pipelines.find(o=>o.isDefault))??(n==null?void 0:n.pipelines[0]);if(!n||!m)return e.jsx("p",{children:r??"Loading…"});const d=n.opportunities.edges.map(o=>o.node).filter(o=>o.pipeline.id===m.id);return e.jsxs("section",{"aria-labelledby":"board-title",children:[e.jsx("h1",{id:"board-title",children:m.name}),r&&e.jsx("p",{role:"alert",className:"error",children:r}),e.jsx("div",{className:"board",children:m.stages.filter(o=>o.kind==="OPEN").map(o=>e.jsx(Le,{title:`${o.name} (${o.probability} %)`,stageId:o.id,onDrop:l=>{const i=d.find(g=>g.id===l);i&&u(i,o.id)},children:d.filter(l=>l.stage.id===o.id).map(l=>e.jsxs("article",{className:"deal",draggable:h,"data-deal":l.id,onDragStart:i=>i.dataTransfer.setData("text/plain",l.id),children:[e.jsx("strong",{children:l.name}),e.jsx("span",{children:de(l.amount,l.currency)}),l.customer&&e.jsx($,{to:`/customers/${encodeURIComponent(l.customer.id)}`,children:l.customer.name}),h&&e.jsx("select",{"aria-label":`Move ${l.name} to`,value:l.stage.id,onChange:i=>u(l,i.target.value),children:m.stages.filter(i=>i.kind==="OPEN").map(i=>e.jsx("option",{value:i.id,children:i.name},i.id))})]},l.id))},o.id))})]})}function Le({title:s,stageId:n,onDrop:t,children:r}){const[p,c]=a.useState(!1);return e.jsxs("section",{className:p?"column over":"column","aria-label":s,"data-stage":n,onDragOver:h=>{h.preventDefault(),c(!0)},onDragLeave:()=>c(!1),onDrop:h=>{h.preventDefault(),c(!1),t(h.dataTransfer.getData("text/plain"))},children:[e.jsx("h2",{children:s}),r]})}const Ae=j(`
  query Pools { leadPools { id name waiting claimLimit } }
`),De=j(`
  query PoolLeads($pool: ID!) {
    leadPool(poolId: $pool, first: 50) { edges { node { id name companyName source createdAt } } }
  }
`),Ee=j(`
  mutation ClaimLead($input: ClaimLeadInput!) { claimLead(input: $input) { lead { id } errors { field code message } } }
`);function Re(s){const[n,t]=a.useState([]),[r,p]=a.useState(null),[c,h]=a.useState([]),[u,m]=a.useState(null),d=a.useCallback(()=>x(Ae).then(i=>{t(i.leadPools),p(g=>{var y;return g??((y=i.leadPools[0])==null?void 0:y.id)??null})},i=>m({text:i.message,error:!0})),[]),o=a.useCallback(()=>{r&&x(De,{pool:r}).then(i=>h(i.leadPool.edges),i=>m({text:i.message,error:!0}))},[r]);a.useEffect(()=>{d()},[d]),a.useEffect(()=>{o()},[o]);async function l(i,g){const{claimLead:y}=await x(Ee,{input:{leadId:i}}),v=Object.values(k(y.errors))[0];m(v?{text:v,error:!0}:{text:`${g} is yours now.`,error:!1}),d(),o()}return e.jsxs("section",{"aria-labelledby":"pool-title",children:[e.jsx("h1",{id:"pool-title",children:"Lead pool"}),u&&e.jsx("p",{role:u.error?"alert":"status",className:u.error?"error":void 0,children:u.text}),n.length===0&&e.jsx("p",{children:"You are in no lead pool."}),e.jsx("div",{className:"toolbar",role:"tablist","aria-label":"Pools",children:n.map(i=>e.jsxs("button",{type:"button",role:"tab","aria-selected":i.id===r,onClick:()=>p(i.id),children:[i.name," (",i.waiting," waiting",i.claimLimit?`, up to ${i.claimLimit} each`:"",")"]},i.id))}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{children:"Lead"}),e.jsx("th",{children:"Company"}),e.jsx("th",{children:"Source"}),e.jsx("th",{children:"Waiting since"}),e.jsx("th",{})]})}),e.jsx("tbody",{children:c.map(({node:i})=>e.jsxs("tr",{"data-lead":i.id,children:[e.jsx("td",{children:i.name}),e.jsx("td",{children:i.companyName}),e.jsx("td",{children:i.source}),e.jsx("td",{children:C(i.createdAt)}),e.jsx("td",{children:e.jsx("button",{type:"button",onClick:()=>l(i.id,i.name),"aria-label":`Claim ${i.name}`,children:"Claim"})})]},i.id))})]})]})}const qe=j(`
  query TicketQueue($queue: ID, $atRisk: Boolean!) {
    queues { id name }
    tickets(first: 50, filter: { queueId: $queue, open: true }) @skip(if: $atRisk) { edges { node { ...TicketRow } } }
    ticketsAtRisk(first: 50, queueId: $queue) @include(if: $atRisk) { edges { node { ...TicketRow } } }
  }
  fragment TicketRow on Ticket {
    id number subject status priority
    customer { id name }
    assignee { name }
    firstResponse { dueAt remainingMinutes breached }
    resolution { dueAt remainingMinutes breached }
  }
`);function M(s){if(!s)return"";if(s.breached)return"missed";const n=Math.floor(s.remainingMinutes/60),t=s.remainingMinutes%60;return`${n?`${n} h `:""}${t} min left`}function Me(s){var l,i;const[n,t]=a.useState(""),[r,p]=a.useState(!1),[c,h]=a.useState(null),[u,m]=a.useState(null),d=a.useCallback(()=>x(qe,{queue:n||null,atRisk:r}).then(h,g=>m(g.message)),[n,r]);a.useEffect(()=>{d();const g=setInterval(d,6e4);return()=>clearInterval(g)},[d]);const o=(r?(l=c==null?void 0:c.ticketsAtRisk)==null?void 0:l.edges:(i=c==null?void 0:c.tickets)==null?void 0:i.edges)??[];return e.jsxs("section",{"aria-labelledby":"tickets-title",children:[e.jsx("h1",{id:"tickets-title",children:"Tickets"}),u&&e.jsx("p",{role:"alert",className:"error",children:u}),e.jsxs("div",{className:"toolbar",children:[e.jsxs("label",{children:["Queue"," ",e.jsxs("select",{value:n,onChange:g=>t(g.target.value),children:[e.jsx("option",{value:"",children:"All queues"}),c==null?void 0:c.queues.map(g=>e.jsx("option",{value:g.id,children:g.name},g.id))]})]}),e.jsxs("label",{children:[e.jsx("input",{type:"checkbox",checked:r,onChange:g=>p(g.target.checked)})," At risk only"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{children:"Number"}),e.jsx("th",{children:"Subject"}),e.jsx("th",{children:"Customer"}),e.jsx("th",{children:"Priority"}),e.jsx("th",{children:"First response"}),e.jsx("th",{children:"Resolution"}),e.jsx("th",{children:"Assignee"})]})}),e.jsx("tbody",{children:o.map(({node:g})=>{var y,v,E;return e.jsxs("tr",{"data-ticket":g.id,children:[e.jsx("td",{children:g.number}),e.jsx("td",{children:g.subject}),e.jsx("td",{children:g.customer&&e.jsx($,{to:`/customers/${encodeURIComponent(g.customer.id)}`,children:g.customer.name})}),e.jsx("td",{children:g.priority.toLowerCase()}),e.jsx("td",{className:(y=g.firstResponse)!=null&&y.breached?"error":void 0,children:M(g.firstResponse)}),e.jsx("td",{className:(v=g.resolution)!=null&&v.breached?"error":void 0,children:M(g.resolution)}),e.jsx("td",{children:(E=g.assignee)==null?void 0:E.name})]},g.id)})})]})]})}const Oe=j(`
  mutation Logout { logout { errors { code } } }
`),L={"/my-day":he,"/customers":xe,"/pipeline":Pe,"/lead-pool":Re,"/tickets":Me};function Ue(){var l;const[s,n]=a.useState(R()),[t,r]=a.useState(null),[p,c]=a.useState(null),h=K();a.useEffect(()=>F(()=>n(R())),[]),a.useEffect(()=>{if(!s){r(null);return}x(le).then(i=>i.me&&r({...i.me,pages:i.consolePages}),i=>c(i.message))},[s]);const u=a.useCallback(async()=>{await x(Oe).catch(()=>{}),D(null)},[]);if(!s)return e.jsx(ue,{});if(!t)return e.jsx("main",{className:"loading",children:p??"Loading…"});const m=t.pages.filter(i=>i.path in L),d=h.match(/^\/customers\/([^/]+)$/),o=L[h]??(d?null:L[((l=m[0])==null?void 0:l.path)??"/customers"]);return e.jsxs("div",{className:"shell",children:[e.jsxs("header",{children:[e.jsx("strong",{children:"CRM"}),e.jsx("nav",{"aria-label":"Main",children:m.map(i=>e.jsx($,{to:i.path,"aria-current":h===i.path?"page":void 0,children:i.title},i.path))}),e.jsx("span",{className:"who",children:t.name}),e.jsx("button",{type:"button",onClick:u,children:"Log out"})]}),e.jsx("main",{children:d?e.jsx(ke,{id:decodeURIComponent(d[1]),session:t}):o&&e.jsx(o,{session:t})})]})}_(document.getElementById("root")).render(e.jsx(a.StrictMode,{children:e.jsx(Ue,{})}));
