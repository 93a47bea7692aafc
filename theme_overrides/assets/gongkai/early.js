/* Loaded in <head>, before the page is drawn: a reader's text size and contrast (see site.js) apply at first paint.
   gk-js marks that scripts run: without it the switches that need them are hidden (site.css). */
var d=document.documentElement;d.classList.add("gk-js");try{var s=localStorage.getItem("gongkai.size"),c=localStorage.getItem("gongkai.contrast");if(s)d.setAttribute("data-gk-size",s);if(c)d.setAttribute("data-gk-contrast",c)}catch(e){}
