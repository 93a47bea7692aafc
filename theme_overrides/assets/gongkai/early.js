/* Loaded in <head>, before the page is drawn: a reader's text size and contrast (see site.js) apply at first paint. */
try{var d=document.documentElement,s=localStorage.getItem("gongkai.size"),c=localStorage.getItem("gongkai.contrast");if(s)d.setAttribute("data-gk-size",s);if(c)d.setAttribute("data-gk-contrast",c)}catch(e){}
