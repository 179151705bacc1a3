from oauth2_provider.oauth2_validators import OAuth2Validator


class CampusValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email": "email", "preferred_username": "profile"}

    def get_additional_claims(self, request):
        return {"email": request.user.email, "preferred_username": request.user.username}
