var M=Object.defineProperty;var q=(n,s,t)=>s in n?M(n,s,{enumerable:!0,configurable:!0,writable:!0,value:t}):n[s]=t;var v=(n,s,t)=>q(n,typeof s!="symbol"?s+"":s,t);import{r as l,j as e,c as R}from"./client-D7eU9wl9.js";let C=null;const E=new Set;function P(n){C=n,E.forEach(s=>s())}function A(){return C}function U(n){return E.add(n),()=>E.delete(n)}class $ extends Error{constructor(s,t,o){super(s),this.code=t,this.field=o}}async function g(n,s){var c,h,a;const t=await fetch("/graphql",{method:"POST",headers:{"Content-Type":"application/json",...C?{Authorization:`Bearer ${C}`}:{}},body:JSON.stringify({query:n.toString(),variables:s})}),o=await t.json().catch(()=>null),m=(c=o==null?void 0:o.errors)==null?void 0:c[0];if(m){const d=((h=m.extensions)==null?void 0:h.code)??"INTERNAL";throw d==="UNAUTHENTICATED"&&P(null),new $(m.message,d,(a=m.extensions)==null?void 0:a.field)}if(!t.ok||!(o!=null&&o.data))throw new $(`the server answered ${t.status}`,"INTERNAL");return o.data}function N(n){const s={};for(const t of n){const o=t.field??"";s[o]=t.code==="CONFLICT"?"Someone changed this meanwhile: reload it and make your change again.":t.message}return s}const S="/app";function D(){return(window.location.pathname.startsWith(S)?window.location.pathname.slice(S.length):"/")||"/"}function L(n){window.history.pushState(null,"",S+n),window.dispatchEvent(new PopStateEvent("popstate"))}function B(){const[n,s]=l.useState(D());return l.useEffect(()=>{const t=()=>s(D());return window.addEventListener("popstate",t),()=>window.removeEventListener("popstate",t)},[]),n}function T({to:n,...s}){return e.jsx("a",{href:S+n,onClick:t=>{t.metaKey||t.ctrlKey||t.shiftKey||t.button!==0||(t.preventDefault(),L(n))},...s})}class f extends String{constructor(t,o){super(t);v(this,"__apiType");v(this,"value");v(this,"__meta__");this.value=t,this.__meta__=o}toString(){return this.value}}const F=new f(`
    mutation Logout {
  logout {
    errors {
      code
    }
  }
}
    `),_=new f(`
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
    `),K=new f(`
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
    `),W=new f(`
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
    `),G=new f(`
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
    `),Y=new f(`
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
    `),z=new f(`
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
    `),H=new f(`
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
    `),J=new f(`
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
    `),V=new f(`
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
    `),Q=new f(`
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
    `),X=new f(`
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
    `),Z=new f(`
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
    `),ee={"\n  mutation Logout { logout { errors { code } } }\n":F,"\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id name kind industry region website lifecycleStage version tags\n      owner { name }\n      emails { value label }\n      phones { value label }\n      contacts { id name title }\n      customFields { key label text number date boolean }\n      summary { lastContactAt activityCount openTaskCount }\n    }\n  }\n":_,"\n  query Timeline($id: ID!, $after: String) {\n    customer(id: $id) {\n      timeline(first: 20, after: $after) {\n        edges { node { id kind title body occurredAt actor { name } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n":K,"\n  mutation UpdateCustomer($input: UpdateCustomerInput!) {\n    updateCustomer(input: $input) { customer { id version } errors { field code message } }\n  }\n":W,"\n  mutation LogActivity($input: LogActivityInput!) {\n    logActivity(input: $input) { activity { id } errors { field code message } }\n  }\n":G,"\n  query Customers($search: String, $first: Int, $after: String, $last: Int, $before: String) {\n    customers(filter: { search: $search }, orderBy: { field: NAME }, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { node { id name kind lifecycleStage region owner { name } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n":Y,"\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { customer { id } errors { field code message } }\n  }\n":z,"\n  mutation Login($input: LoginInput!) {\n    login(input: $input) { token errors { field code message } }\n  }\n":H,"\n  query MyDay {\n    myTasks(first: 50) { edges { node { id subject dueAt overdue version customer { id name } } } }\n    myPendingApprovals(first: 20) { edges { node { id title recordType submittedAt } } }\n  }\n":J,"\n  mutation CompleteTask($input: CompleteTaskInput!) {\n    completeTask(input: $input) { activity { id } errors { field code message } }\n  }\n":V,"\n  query Board {\n    pipelines { id name isDefault stages { id name kind probability } }\n    opportunities(first: 100, filter: { status: OPEN }) {\n      edges { node { id name amount currency version pipeline { id } stage { id } customer { id name } } }\n    }\n  }\n":Q,"\n  mutation MoveOpportunity($input: MoveOpportunityInput!) {\n    moveOpportunity(input: $input) { opportunity { id version stage { id } } errors { field code message } }\n  }\n":X,"\n  query Me {\n    me { id name email effectiveGrants { resource action scope } }\n    consolePages { path title resource }\n  }\n":Z};function y(n){return ee[n]??{}}const te=y(`
  query Me {
    me { id name email effectiveGrants { resource action scope } }
    consolePages { path title resource }
  }
`);function w(n,s,t){return n.effectiveGrants.some(o=>o.resource===s&&o.action===t)}const ne=y(`
  mutation Login($input: LoginInput!) {
    login(input: $input) { token errors { field code message } }
  }
`);function se(){const[n,s]=l.useState(""),[t,o]=l.useState(""),[m,c]=l.useState(null),[h,a]=l.useState(!1);async function d(u){var r;u.preventDefault(),a(!0),c(null);try{const{login:i}=await g(ne,{input:{email:n,password:t}});i.token?P(i.token):c(((r=i.errors[0])==null?void 0:r.message)??"Wrong email or password.")}catch(i){c(i instanceof $?i.message:"The server cannot be reached.")}finally{a(!1)}}return e.jsxs("main",{className:"login",children:[e.jsx("h1",{children:"Log in"}),e.jsxs("form",{onSubmit:d,children:[e.jsxs("label",{children:["Email",e.jsx("input",{type:"email",autoComplete:"username",required:!0,value:n,onChange:u=>s(u.target.value)})]}),e.jsxs("label",{children:["Password",e.jsx("input",{type:"password",autoComplete:"current-password",required:!0,value:t,onChange:u=>o(u.target.value)})]}),m&&e.jsx("p",{role:"alert",className:"error",children:m}),e.jsx("button",{type:"submit",disabled:h,children:"Log in"})]})]})}function k(n){return n?new Date(n).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"}):""}function re(n,s){if(n==null)return"";const t=Number(n);return s?t.toLocaleString(void 0,{style:"currency",currency:s}):t.toLocaleString()}const ie=y(`
  query MyDay {
    myTasks(first: 50) { edges { node { id subject dueAt overdue version customer { id name } } } }
    myPendingApprovals(first: 20) { edges { node { id title recordType submittedAt } } }
  }
`),oe=y(`
  mutation CompleteTask($input: CompleteTaskInput!) {
    completeTask(input: $input) { activity { id } errors { field code message } }
  }
`);function ae(n){const[s,t]=l.useState(null),[o,m]=l.useState(null),c=l.useCallback(()=>g(ie).then(t,a=>m(a.message)),[]);l.useEffect(()=>{c()},[c]);async function h(a,d){const{completeTask:u}=await g(oe,{input:{id:a,version:d}});u.errors.length&&m(u.errors[0].message),c()}return e.jsxs("section",{"aria-labelledby":"day-title",children:[e.jsx("h1",{id:"day-title",children:"My day"}),o&&e.jsx("p",{role:"alert",className:"error",children:o}),e.jsx("h2",{children:"Tasks"}),s&&s.myTasks.edges.length===0&&e.jsx("p",{children:"No open tasks."}),e.jsx("ul",{className:"tasks",children:s==null?void 0:s.myTasks.edges.map(({node:a})=>e.jsxs("li",{className:a.overdue?"overdue":void 0,children:[e.jsx("button",{type:"button",onClick:()=>h(a.id,a.version),"aria-label":`Complete ${a.subject}`,children:"Done"}),e.jsx("span",{children:a.subject}),a.customer&&e.jsx(T,{to:`/customers/${encodeURIComponent(a.customer.id)}`,children:a.customer.name}),e.jsxs("time",{dateTime:a.dueAt??void 0,children:[a.overdue?"overdue since ":"",k(a.dueAt)]})]},a.id))}),e.jsx("h2",{children:"Waiting for my approval"}),s&&s.myPendingApprovals.edges.length===0&&e.jsx("p",{children:"Nothing waits for you."}),e.jsx("ul",{children:s==null?void 0:s.myPendingApprovals.edges.map(({node:a})=>e.jsxs("li",{children:[a.title," ",e.jsx("span",{className:"kind",children:a.recordType})," ",e.jsx("time",{children:k(a.submittedAt)})]},a.id))})]})}function x({label:n,error:s,...t}){const o=`f-${n.toLowerCase().replace(/\W+/g,"-")}`;return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:o,children:n}),e.jsx("input",{id:o,"aria-invalid":s?!0:void 0,"aria-describedby":s?`${o}-error`:void 0,...t}),s&&e.jsx("span",{id:`${o}-error`,className:"error",role:"alert",children:s})]})}const le=y(`
  query Customers($search: String, $first: Int, $after: String, $last: Int, $before: String) {
    customers(filter: { search: $search }, orderBy: { field: NAME }, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { node { id name kind lifecycleStage region owner { name } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`),ce=y(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { id } errors { field code message } }
  }
`),b=25;function ue({session:n}){const[s,t]=l.useState(""),[o,m]=l.useState({first:b}),[c,h]=l.useState(null),[a,d]=l.useState(null);return l.useEffect(()=>{let u=!1;const r=setTimeout(()=>{g(le,{search:s||null,...o}).then(i=>!u&&h(i.customers),i=>!u&&d(i.message))},s?200:0);return()=>{u=!0,clearTimeout(r)}},[s,o]),e.jsxs("section",{"aria-labelledby":"customers-title",children:[e.jsx("h1",{id:"customers-title",children:"Customers"}),e.jsxs("div",{className:"toolbar",children:[e.jsx("input",{type:"search","aria-label":"Search customers",placeholder:"Search by name, email or phone",value:s,onChange:u=>{t(u.target.value),m({first:b})}}),c&&e.jsxs("span",{children:[c.totalCount," customers"]})]}),a&&e.jsx("p",{role:"alert",className:"error",children:a}),w(n,"customer","WRITE")&&e.jsx(de,{}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{children:"Name"}),e.jsx("th",{children:"Kind"}),e.jsx("th",{children:"Stage"}),e.jsx("th",{children:"Region"}),e.jsx("th",{children:"Owner"})]})}),e.jsx("tbody",{children:c==null?void 0:c.edges.map(({node:u})=>{var r;return e.jsxs("tr",{children:[e.jsx("td",{children:e.jsx(T,{to:`/customers/${encodeURIComponent(u.id)}`,children:u.name})}),e.jsx("td",{children:u.kind.toLowerCase()}),e.jsx("td",{children:u.lifecycleStage.toLowerCase()}),e.jsx("td",{children:u.region}),e.jsx("td",{children:(r=u.owner)==null?void 0:r.name})]},u.id)})})]}),e.jsxs("nav",{className:"pager","aria-label":"Pages",children:[e.jsx("button",{type:"button",disabled:!(c!=null&&c.pageInfo.hasPreviousPage),onClick:()=>c&&m({last:b,before:c.pageInfo.startCursor??void 0}),children:"Previous"}),e.jsx("button",{type:"button",disabled:!(c!=null&&c.pageInfo.hasNextPage),onClick:()=>c&&m({first:b,after:c.pageInfo.endCursor??void 0}),children:"Next"})]})]})}function de(){const[n,s]=l.useState(!1),[t,o]=l.useState(""),[m,c]=l.useState("COMPANY"),[h,a]=l.useState({});async function d(u){u.preventDefault();const{createCustomer:r}=await g(ce,{input:{name:t,kind:m}});r.customer?L(`/customers/${encodeURIComponent(r.customer.id)}`):a(N(r.errors))}return n?e.jsxs("form",{className:"card",onSubmit:d,"aria-label":"New customer",children:[e.jsx(x,{label:"Name",value:t,onChange:u=>o(u.target.value),error:h.name}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"new-kind",children:"Kind"}),e.jsxs("select",{id:"new-kind",value:m,onChange:u=>c(u.target.value),children:[e.jsx("option",{value:"COMPANY",children:"Company"}),e.jsx("option",{value:"PERSON",children:"Person"})]})]}),h[""]&&e.jsx("p",{role:"alert",className:"error",children:h[""]}),e.jsx("button",{type:"submit",children:"Create"}),e.jsx("button",{type:"button",onClick:()=>s(!1),children:"Cancel"})]}):e.jsx("button",{type:"button",onClick:()=>s(!0),children:"New customer"})}const me=y(`
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
`),pe=y(`
  query Timeline($id: ID!, $after: String) {
    customer(id: $id) {
      timeline(first: 20, after: $after) {
        edges { node { id kind title body occurredAt actor { name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`),he=y(`
  mutation UpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) { customer { id version } errors { field code message } }
  }
`),ge=y(`
  mutation LogActivity($input: LogActivityInput!) {
    logActivity(input: $input) { activity { id } errors { field code message } }
  }
`);function fe({id:n,session:s}){const[t,o]=l.useState(void 0),[m,c]=l.useState(0),h=l.useCallback(()=>g(me,{id:n}).then(d=>o(d.customer)),[n]);if(l.useEffect(()=>{h()},[h]),t===void 0)return e.jsx("p",{children:"Loading…"});if(t===null)return e.jsx("p",{role:"alert",children:"There is no such customer, or it is not yours to see."});const a=w(s,"customer","WRITE");return e.jsxs("article",{className:"c360","aria-labelledby":"c360-title",children:[e.jsx("h1",{id:"c360-title",children:t.name}),e.jsxs("div",{className:"columns",children:[e.jsxs("section",{className:"card","aria-label":"Details",children:[a?e.jsx(xe,{customer:t,onSaved:h}):e.jsx(ye,{customer:t}),e.jsxs("dl",{className:"numbers",children:[e.jsx("dt",{children:"Activities"}),e.jsx("dd",{children:t.summary.activityCount??0}),e.jsx("dt",{children:"Open tasks"}),e.jsx("dd",{children:t.summary.openTaskCount??0}),e.jsx("dt",{children:"Last contact"}),e.jsx("dd",{children:k(t.summary.lastContactAt)||"never"})]}),e.jsx("h2",{children:"Contacts"}),e.jsx("ul",{children:t.contacts.map(d=>e.jsxs("li",{children:[d.name,d.title?`, ${d.title}`:""]},d.id))}),t.customFields.length>0&&e.jsx("dl",{children:t.customFields.map(d=>e.jsxs("div",{children:[e.jsx("dt",{children:d.label}),e.jsx("dd",{children:String(d.text??d.number??d.date??d.boolean??"")})]},d.key))})]}),e.jsxs("section",{"aria-label":"Timeline",className:"timeline",children:[w(s,"activity","WRITE")&&e.jsx(je,{customerId:t.id,onLogged:()=>{c(d=>d+1),h()}}),e.jsx(ve,{id:t.id},m)]})]})]})}function ye({customer:n}){var s;return e.jsxs("dl",{children:[e.jsx("dt",{children:"Kind"}),e.jsx("dd",{children:n.kind.toLowerCase()}),e.jsx("dt",{children:"Industry"}),e.jsx("dd",{children:n.industry}),e.jsx("dt",{children:"Region"}),e.jsx("dd",{children:n.region}),e.jsx("dt",{children:"Website"}),e.jsx("dd",{children:n.website}),e.jsx("dt",{children:"Owner"}),e.jsx("dd",{children:(s=n.owner)==null?void 0:s.name}),e.jsx("dt",{children:"Email"}),e.jsx("dd",{children:n.emails.map(t=>t.value).join(", ")}),e.jsx("dt",{children:"Phone"}),e.jsx("dd",{children:n.phones.map(t=>t.value).join(", ")})]})}function xe({customer:n,onSaved:s}){const[t,o]=l.useState({name:n.name,industry:n.industry??"",region:n.region??"",website:n.website??""}),[m,c]=l.useState({}),[h,a]=l.useState(!1);async function d(r){r.preventDefault(),a(!1);const{updateCustomer:i}=await g(he,{input:{id:n.id,version:n.version,...t}});c(N(i.errors)),i.customer&&(a(!0),s())}const u=r=>i=>o({...t,[r]:i.target.value});return e.jsxs("form",{onSubmit:d,"aria-label":"Edit customer",children:[e.jsx(x,{label:"Name",value:t.name,onChange:u("name"),error:m.name}),e.jsx(x,{label:"Industry",value:t.industry,onChange:u("industry"),error:m.industry}),e.jsx(x,{label:"Region",value:t.region,onChange:u("region"),error:m.region}),e.jsx(x,{label:"Website",value:t.website,onChange:u("website"),error:m.website}),m.version&&e.jsx("p",{role:"alert",className:"error",children:m.version}),h&&e.jsx("p",{role:"status",children:"Saved."}),e.jsx("button",{type:"submit",children:"Save"})]})}function je({customerId:n,onLogged:s}){const[t,o]=l.useState("call"),[m,c]=l.useState(""),[h,a]=l.useState(""),[d,u]=l.useState({});async function r(i){i.preventDefault();const{logActivity:p}=await g(ge,{input:{customerId:n,kind:t,subject:m,body:h||null}});u(N(p.errors)),p.activity&&(c(""),a(""),s())}return e.jsxs("form",{className:"card",onSubmit:r,"aria-label":"Log an activity",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"log-kind",children:"Kind"}),e.jsx("select",{id:"log-kind",value:t,onChange:i=>o(i.target.value),children:["call","email","meeting","visit","note"].map(i=>e.jsx("option",{value:i,children:i},i))})]}),e.jsx(x,{label:"Subject",value:m,onChange:i=>c(i.target.value),error:d.subject}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"log-body",children:"Notes"}),e.jsx("textarea",{id:"log-body",value:h,onChange:i=>a(i.target.value)})]}),e.jsx("button",{type:"submit",children:"Log"})]})}function ve({id:n}){const[s,t]=l.useState([]),[o,m]=l.useState(void 0),[c,h]=l.useState(null),a=l.useRef(null),d=l.useRef(!1),u=l.useCallback(async()=>{var r;if(!(d.current||o===null)){d.current=!0;try{const p=(r=(await g(pe,{id:n,after:o??null})).customer)==null?void 0:r.timeline;p&&(t(j=>[...j,...p.edges.map(O=>O.node)]),m(p.pageInfo.hasNextPage?p.pageInfo.endCursor:null))}catch(i){h(i instanceof $?i.message:"The timeline cannot be read.")}finally{d.current=!1}}},[n,o]);return l.useEffect(()=>{if(o===void 0){u();return}const r=new IntersectionObserver(i=>i.some(p=>p.isIntersecting)&&u());return a.current&&r.observe(a.current),()=>r.disconnect()},[u,o]),e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Timeline"}),c&&e.jsx("p",{role:"alert",className:"error",children:c}),e.jsx("ol",{className:"entries",children:s.map(r=>e.jsxs("li",{children:[e.jsx("span",{className:"kind",children:r.kind.replace(/_/g," ")})," ",e.jsx("strong",{children:r.title}),e.jsx("time",{dateTime:r.occurredAt,children:k(r.occurredAt)}),r.actor&&e.jsx("span",{className:"actor",children:r.actor.name}),r.body&&e.jsx("p",{children:r.body})]},r.id))}),o!==null&&e.jsx("div",{ref:a,className:"more",children:"Loading more…"})]})}const be=y(`
  query Board {
    pipelines { id name isDefault stages { id name kind probability } }
    opportunities(first: 100, filter: { status: OPEN }) {
      edges { node { id name amount currency version pipeline { id } stage { id } customer { id name } } }
    }
  }
`),Ce=y(`
  mutation MoveOpportunity($input: MoveOpportunityInput!) {
    moveOpportunity(input: $input) { opportunity { id version stage { id } } errors { field code message } }
  }
`);function $e({session:n}){const[s,t]=l.useState(null),[o,m]=l.useState(null),c=l.useCallback(()=>g(be).then(t,r=>m(r.message)),[]);l.useEffect(()=>{c()},[c]);const h=w(n,"opportunity","WRITE");async function a(r,i){if(r.stage.id===i)return;const{moveOpportunity:p}=await g(Ce,{input:{id:r.id,stageId:i,version:r.version}}),j=N(p.errors);m(Object.values(j)[0]??null),c()}const d=(s==null?void 0:s.pipelines.find(r=>r.isDefault))??(s==null?void 0:s.pipelines[0]);if(!s||!d)return e.jsx("p",{children:o??"Loading…"});const u=s.opportunities.edges.map(r=>r.node).filter(r=>r.pipeline.id===d.id);return e.jsxs("section",{"aria-labelledby":"board-title",children:[e.jsx("h1",{id:"board-title",children:d.name}),o&&e.jsx("p",{role:"alert",className:"error",children:o}),e.jsx("div",{className:"board",children:d.stages.filter(r=>r.kind==="OPEN").map(r=>e.jsx(Se,{title:`${r.name} (${r.probability} %)`,stageId:r.id,onDrop:i=>{const p=u.find(j=>j.id===i);p&&a(p,r.id)},children:u.filter(i=>i.stage.id===r.id).map(i=>e.jsxs("article",{className:"deal",draggable:h,"data-deal":i.id,onDragStart:p=>p.dataTransfer.setData("text/plain",i.id),children:[e.jsx("strong",{children:i.name}),e.jsx("span",{children:re(i.amount,i.currency)}),i.customer&&e.jsx(T,{to:`/customers/${encodeURIComponent(i.customer.id)}`,children:i.customer.name}),h&&e.jsx("select",{"aria-label":`Move ${i.name} to`,value:i.stage.id,onChange:p=>a(i,p.target.value),children:d.stages.filter(p=>p.kind==="OPEN").map(p=>e.jsx("option",{value:p.id,children:p.name},p.id))})]},i.id))},r.id))})]})}function Se({title:n,stageId:s,onDrop:t,children:o}){const[m,c]=l.useState(!1);return e.jsxs("section",{className:m?"column over":"column","aria-label":n,"data-stage":s,onDragOver:h=>{h.preventDefault(),c(!0)},onDragLeave:()=>c(!1),onDrop:h=>{h.preventDefault(),c(!1),t(h.dataTransfer.getData("text/plain"))},children:[e.jsx("h2",{children:n}),o]})}const we=y(`
  mutation Logout { logout { errors { code } } }
`),I={"/my-day":ae,"/customers":ue,"/pipeline":$e};function ke(){var i;const[n,s]=l.useState(A()),[t,o]=l.useState(null),[m,c]=l.useState(null),h=B();l.useEffect(()=>U(()=>s(A())),[]),l.useEffect(()=>{if(!n){o(null);return}g(te).then(p=>p.me&&o({...p.me,pages:p.consolePages}),p=>c(p.message))},[n]);const a=l.useCallback(async()=>{await g(we).catch(()=>{}),P(null)},[]);if(!n)return e.jsx(se,{});if(!t)return e.jsx("main",{className:"loading",children:m??"Loading…"});const d=t.pages.filter(p=>p.path in I),u=h.match(/^\/customers\/([^/]+)$/),r=I[h]??(u?null:I[((i=d[0])==null?void 0:i.path)??"/customers"]);return e.jsxs("div",{className:"shell",children:[e.jsxs("header",{children:[e.jsx("strong",{children:"CRM"}),e.jsx("nav",{"aria-label":"Main",children:d.map(p=>e.jsx(T,{to:p.path,"aria-current":h===p.path?"page":void 0,children:p.title},p.path))}),e.jsx("span",{className:"who",children:t.name}),e.jsx("button",{type:"button",onClick:a,children:"Log out"})]}),e.jsx("main",{children:u?e.jsx(fe,{id:decodeURIComponent(u[1]),session:t}):r&&e.jsx(r,{session:t})})]})}R(document.getElementById("root")).render(e.jsx(l.StrictMode,{children:e.jsx(ke,{})}));
