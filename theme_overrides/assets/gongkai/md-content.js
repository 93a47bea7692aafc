/* Material for MkDocs' content-tabs helper (partials/javascripts/content.html, MIT licence), as a file for the CSP. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));
